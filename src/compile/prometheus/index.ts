import type { Platform } from '../../model/platform.ts';
import { mergeFileSets, type FileSet } from '../../output/fileset.ts';
import { generatedHeader, toYaml } from '../../output/serialize.ts';
import { withDashboardLinks } from './dashboard-links.ts';
import { baselineRuleFilePath, baselineTestFilePath, ruleFilePath, testFilePath } from './paths.ts';
import { platformHealthFiles } from './platform-health.ts';
import { remediationOutcomeFiles } from './remediation-outcomes.ts';
import { baselineGroupName, serviceRuleGroups } from './service-rules.ts';
import { serviceTestFile } from './tests/test-file.ts';

/**
 * One rule file and one promtool test file per service (and a pair for its baseline alerts,
 * see paths.ts), plus the platform health score's and the remediation outcomes'.
 */
export function compilePrometheus(platform: Platform): FileSet {
  const files = new Map<string, string>();
  for (const service of platform.services) {
    const groups = withDashboardLinks(platform.config, service, serviceRuleGroups(platform.config, service));
    const header = generatedHeader([service.source]);
    const baseline = groups.filter((group) => group.name === baselineGroupName(service));
    const main = groups.filter((group) => group.name !== baselineGroupName(service));
    files.set(ruleFilePath(service.name), toYaml({ groups: main }, header));
    files.set(testFilePath(service.name), toYaml(serviceTestFile(service, main, ruleFilePath(service.name)), header));
    if (baseline.length > 0) {
      files.set(baselineRuleFilePath(service.name), toYaml({ groups: baseline }, header));
      files.set(baselineTestFilePath(service.name), toYaml(serviceTestFile(service, baseline, baselineRuleFilePath(service.name)), header));
    }
  }
  return mergeFileSets(files, platformHealthFiles(platform), remediationOutcomeFiles(platform));
}
