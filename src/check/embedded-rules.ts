import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GeneratedTree, RuleGroup } from '../reader/types.ts';
import { toYaml } from '../output/serialize.ts';
import { runTool } from './tools.ts';
import { promtoolFailures } from './promtool-output.ts';
import { embeddedRules } from '../findings/catalog/validators.ts';
import { findingLine } from '../findings/kind.ts';

/**
 * The rule groups that targets embed (PrometheusRule specs, the Mimir namespace) through the
 * same `promtool check rules` as the plain rule files: each is written as a rule file under
 * `scratch`, and promtool's output names the generated file it came from.
 */
export async function embeddedRuleFindings(tree: Pick<GeneratedTree, 'kubernetes' | 'mimir'>, scratch: string): Promise<string[]> {
  const embedded = new Map<string, readonly RuleGroup[]>();
  for (const file of tree.kubernetes ?? [])
    file.objects.forEach((object, index) => {
      if (object.kind !== 'PrometheusRule') return;
      const groups = (object.json.spec as { groups?: RuleGroup[] } | undefined)?.groups ?? [];
      embedded.set(file.objects.length === 1 ? file.path : `${file.path}#${index + 1}`, groups);
    });
  if (tree.mimir) embedded.set(tree.mimir.path, tree.mimir.groups);
  if (embedded.size === 0) return [];
  const names = new Map<string, string>();
  for (const [where, groups] of embedded) {
    const name = `embedded-${names.size}.rules.yml`;
    names.set(name, where);
    await mkdir(scratch, { recursive: true });
    await writeFile(path.join(scratch, name), toYaml({ groups }));
  }
  const result = await runTool('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', ...names.keys()], scratch);
  if (result.ok) return [];
  // promtool names the scratch files: each problem is said of the object its groups came from.
  const failures = promtoolFailures(result.output).map(({ at, text }) => {
    const named = [...names.keys()].find((name) => text.includes(name));
    const where = names.get(at?.file ?? named ?? '') ?? 'the targets';
    return findingLine(embeddedRules(where, named ? text.replaceAll(named, where) : text));
  });
  return failures.length > 0 ? failures : [findingLine(embeddedRules('the targets', result.output.trim() || 'promtool failed'))];
}
