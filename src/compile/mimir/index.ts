import type { EmittedRuleFile } from '../../model/emitted.ts';
import type { MimirTarget } from '../../model/targets.ts';
import type { FileSet } from '../../output/fileset.ts';
import { generatedHeader, toYaml } from '../../output/serialize.ts';

export const mimirRulesPath = 'mimir/rules.yaml';

/**
 * `mimir/rules.yaml` in mimirtool's format (`namespace:` and `groups:`), for
 * `mimirtool rules sync` or `monforge apply --ruler`: every group of every rule file, in file
 * order, unchanged (group names are unique across the platform). Cortex reads the same format.
 */
export function compileMimir(target: MimirTarget, ruleFiles: readonly EmittedRuleFile[]): FileSet {
  const groups = ruleFiles.flatMap((file) => file.groups);
  return new Map([
    [mimirRulesPath, toYaml({ namespace: target.namespace, groups }, generatedHeader(ruleFiles.flatMap((file) => file.sources)))],
  ]);
}
