import { platformHealthName } from '../../model/health.ts';
import type { Platform } from '../../model/platform.ts';
import type { FileSet } from '../../output/fileset.ts';
import { generatedHeader, toYaml } from '../../output/serialize.ts';
import { healthGroup } from './health.ts';
import { ruleFilePath, testFilePath } from './paths.ts';
import { healthTestFile } from './tests/health-tests.ts';

/** The platform-level rule file of the health score, and its promtool tests. */
export function platformHealthFiles(platform: Platform): FileSet {
  const header = generatedHeader(platform.services.map((service) => service.source));
  return new Map([
    [ruleFilePath(platformHealthName), toYaml({ groups: [healthGroup(platform.services)] }, header)],
    [testFilePath(platformHealthName), toYaml(healthTestFile(platform.services), header)],
  ]);
}
