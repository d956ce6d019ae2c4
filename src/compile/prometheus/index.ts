import type { Platform } from '../../model/platform.ts';
import { mergeFileSets, type FileSet } from '../../output/fileset.ts';
import { generatedHeader, toYaml } from '../../output/serialize.ts';
import { withDashboardLinks } from './dashboard-links.ts';
import { ruleFilePath, testFilePath } from './paths.ts';
import { platformHealthFiles } from './platform-health.ts';
import { serviceRuleGroups } from './service-rules.ts';
import { serviceTestFile } from './tests/test-file.ts';

/** One rule file and one promtool test file per service, plus the platform health score's. */
export function compilePrometheus(platform: Platform): FileSet {
  const files = new Map<string, string>();
  for (const service of platform.services) {
    const groups = withDashboardLinks(platform.config, service, serviceRuleGroups(platform.config, service));
    const header = generatedHeader([service.source]);
    files.set(ruleFilePath(service.name), toYaml({ groups }, header));
    files.set(testFilePath(service.name), toYaml(serviceTestFile(service, groups), header));
  }
  return mergeFileSets(files, platformHealthFiles(platform));
}
