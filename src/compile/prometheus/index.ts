import { platformHealthName } from '../../model/health.ts';
import type { EmittedRuleFile } from '../../model/emitted.ts';
import type { PlatformConfig } from '../../model/config.ts';
import type { Platform } from '../../model/platform.ts';
import type { Service } from '../../model/service.ts';
import { compareBytes, mergeFileSets, type FileSet } from '../../output/fileset.ts';
import { generatedHeader, toYaml } from '../../output/serialize.ts';
import { withDashboardLinks } from './dashboard-links.ts';
import { healthGroup } from './health.ts';
import { ruleFilePath, testFilePath } from './paths.ts';
import { platformHealthFiles } from './platform-health.ts';
import type { RuleGroup } from './rules.ts';
import { serviceRuleGroups } from './service-rules.ts';
import { serviceTestFile } from './tests/test-file.ts';

/** One rule file and one promtool test file per service, plus the platform health score's. */
export function compilePrometheus(platform: Platform): FileSet {
  const files = new Map<string, string>();
  for (const service of platform.services) {
    const groups = fileGroups(platform.config, service);
    const header = generatedHeader([service.source]);
    files.set(ruleFilePath(service.name), toYaml({ groups }, header));
    files.set(testFilePath(service.name), toYaml(serviceTestFile(service, groups), header));
  }
  return mergeFileSets(files, platformHealthFiles(platform));
}

/**
 * The groups of every rule file compilePrometheus writes, as data, by file name: what
 * compile/index.ts hands to the targets that re-package rules (PrometheusRule, Mimir).
 */
export function prometheusRuleFiles(platform: Platform): EmittedRuleFile[] {
  const files: EmittedRuleFile[] = platform.services.map((service) => ({
    name: service.name,
    sources: [service.source],
    groups: fileGroups(platform.config, service),
  }));
  files.push({
    name: platformHealthName,
    sources: platform.services.map((service) => service.source),
    groups: [healthGroup(platform.services)],
  });
  return files.sort((a, b) => compareBytes(a.name, b.name));
}

const fileGroups = (config: PlatformConfig, service: Service): RuleGroup[] =>
  withDashboardLinks(config, service, serviceRuleGroups(config, service));
