import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { routeTestFailures } from '../../check/amtool.ts';
import { equals, renderMatcher } from '../../compile/alertmanager/matchers.ts';
import { alertmanagerPath } from '../../compile/alertmanager/names.ts';
import type { InhibitRule } from '../../compile/alertmanager/types.ts';
import { labelKey, sameValue } from '../../diff/labels.ts';
import { toYaml } from '../../output/serialize.ts';
import { type AlertmanagerSettings, FileProblems, type Labels, parseAlertmanagerFile } from '../../reader/index.ts';
import { inhibitingRules, matchRoutes, routeOptions } from '../../route-evaluator/evaluate.ts';
import type { CompiledProject, ProofPart } from '../importer.ts';

// The proof that routing is unchanged: every label set the original tree implies (and every
// imported alert's) walks the original and the compiled configuration, both read through the
// one reader, in the one route evaluator: same receivers in the same order, with the same
// grouping, timers and time intervals, muted by the same inhibit rules. amtool then routes
// every label set through both files and must agree with the evaluator.

/** The original configuration (secrets in their files) through the reader. */
export function readOriginal(expected: unknown): AlertmanagerSettings {
  const problems = new FileProblems('the original alertmanager.yml');
  const file = parseAlertmanagerFile('alertmanager.yml', toYaml(expected), problems);
  if (!file) throw new Error(problems.list.join('\n'));
  return file.config;
}

/** Where an alert with these labels goes, and what could mute it. */
export function routing(config: AlertmanagerSettings, labels: Labels): { deliveries: unknown[]; inhibitedBy: string[] } {
  const deliveries = matchRoutes(config.route, labels).map((match) => routeOptions(match));
  const inhibitedBy = inhibitingRules(config.inhibitRules, labels).map(describeRule).sort();
  return { deliveries, inhibitedBy };
}

const describeRule = (rule: InhibitRule): string =>
  JSON.stringify([rule.source_matchers, rule.target_matchers, [...(rule.equal ?? [])].sort()].map((each) => [...each].map(String)));

/** `receiver receiver2`, as amtool prints a route test's answer. */
const receiversOf = (config: AlertmanagerSettings, labels: Labels): string[] =>
  matchRoutes(config.route, labels).map((match) => routeOptions(match).receiver);

export async function proveRouting(
  expected: unknown,
  labelSets: readonly Labels[],
  project: CompiledProject,
  scratch: string,
): Promise<ProofPart> {
  const original = readOriginal(expected);
  const compiled = project.tree.alertmanager?.config;
  if (!compiled) return { summary: 'routing 0/0 label sets', ok: false, details: ['the definitions compile to no alertmanager.yml'] };
  const sets = new Map(labelSets.map((labels) => [labelKey(labels), labels]));
  const details: string[] = [];
  const failed = new Set<string>();
  for (const [key, labels] of sets) {
    const [was, is] = [routing(original, labels), routing(compiled, labels)];
    if (!sameValue(was.deliveries, is.deliveries)) {
      failed.add(key);
      details.push(`${key}: reaches ${describe(is.deliveries)}, the original ${describe(was.deliveries)}`);
    } else if (!sameValue(was.inhibitedBy, is.inhibitedBy)) {
      failed.add(key);
      details.push(`${key}: muted by other inhibit rules than in the original`);
    }
  }
  // amtool must route every label set as the evaluator does, in both files.
  const dir = await mkdtemp(path.join(scratch, 'routing-'));
  const contents = new Map([
    ['original.yml', toYaml(expected)],
    ['compiled.yml', project.files.get(alertmanagerPath)!],
  ]);
  for (const [file, content] of contents) await writeFile(path.join(dir, file), content);
  for (const [file, config] of [
    ['original.yml', original],
    ['compiled.yml', compiled],
  ] as const) {
    const cases = [...sets].map(([key, labels]) => ({ key, labels, receivers: receiversOf(config, labels) }));
    const which = file === 'original.yml' ? 'original' : 'compiled';
    // With the file's content, amtool runs once for label sets the routes cannot tell apart.
    for (const { text: failure } of await routeTestFailures(dir, file, cases, { dir, files: new Map([[file, contents.get(file)!]]) })) {
      details.push(`amtool routes the ${which} configuration otherwise than the route evaluator: ${failure}`);
      // routeTestFailures names a case by its labels as amtool's arguments.
      const failing = cases.find(({ labels }) =>
        failure.startsWith(
          `{${Object.entries(labels)
            .map(([label, value]) => renderMatcher(equals(label, value)))
            .join(', ')}}`,
        ),
      );
      if (failing) failed.add(failing.key);
    }
  }
  const equivalent = [...sets.keys()].filter((key) => !failed.has(key)).length;
  return { summary: `routing ${equivalent}/${sets.size} label sets`, ok: details.length === 0, details };
}

function describe(deliveries: readonly unknown[]): string {
  return deliveries.map((delivery) => JSON.stringify(delivery)).join(', ') || 'nothing';
}
