import type { Platform } from '../../model/platform.ts';
import { mergeFileSets, type FileSet } from '../../output/fileset.ts';
import { generatedHeader, toYaml } from '../../output/serialize.ts';
import { withDashboardLinks } from './dashboard-links.ts';
import { ruleFilePath, testFilePath, wiringTestFilePath } from './paths.ts';
import { platformHealthFiles } from './platform-health.ts';
import { serviceRuleGroups } from './service-rules.ts';
import { serviceTestFile, serviceWiringTestFile } from './tests/test-file.ts';

/** One rule file and one promtool test file per service (a second for its SLOs' wiring), plus the platform health score's. */
export function compilePrometheus(platform: Platform): FileSet {
  const files = new Map<string, string>();
  for (const service of platform.services) {
    const groups = withDashboardLinks(platform.config, service, serviceRuleGroups(platform.config, service));
    const header = generatedHeader([service.source]);
    files.set(ruleFilePath(service.name), toYaml({ groups }, header));
    files.set(testFilePath(service.name), toYaml(serviceTestFile(service, groups), header));
    const wiring = serviceWiringTestFile(service, groups);
    if (wiring) files.set(wiringTestFilePath(service.name), toYaml(wiring, header));
  }
  return mergeFileSets(files, platformHealthFiles(platform));
}
