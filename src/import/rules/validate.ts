import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runTool } from '../../check/tools.ts';
import { toYaml } from '../../output/serialize.ts';
import type { ImportContext } from '../importer.ts';
import type { SourceGroup } from './read.ts';

/**
 * `promtool check rules` on the groups of each input document as they were given: a rule file
 * promtool rejects is refused, one line per problem promtool names, at the rule it names.
 */
export async function refuseWhatPromtoolRejects(groups: readonly SourceGroup[], context: ImportContext): Promise<void> {
  const byDocument = new Map<SourceGroup['document'], SourceGroup[]>();
  for (const group of groups) byDocument.set(group.document, [...(byDocument.get(group.document) ?? []), group]);
  const dir = await mkdtemp(path.join(context.scratch, 'originals-'));
  for (const [index, [document, held]] of [...byDocument].entries()) {
    const file = `input-${index + 1}.rules.yml`;
    await writeFile(path.join(dir, file), toYaml({ groups: held.map((group) => group.raw) }));
    const result = await runTool('promtool', ['check', 'rules', '--lint=none', file], dir, { timeoutMs: 60_000 });
    if (result.ok) continue;
    const problems = result.output
      .split('\n')
      .filter((line) => line.startsWith(`${file}:`))
      .map((line) =>
        line
          .slice(file.length + 1)
          .replace(/^\s*\d+:\d+:\s*/, '')
          .trim(),
      );
    if (problems.length === 0) {
      context.refuseAt(
        document,
        held[0]!.path,
        held[0]!.origin,
        `promtool check rules rejects it: ${result.output.trim().split('\n').at(-1)}`,
      );
      continue;
    }
    for (const problem of problems) {
      const match = /^group "((?:[^"\\]|\\.)*)", rule (\d+), /.exec(problem);
      const group = match ? held.find((each) => each.name === match[1]) : undefined;
      const rulePath = group && match ? [...group.path, 'rules', Number(match[2]) - 1] : (group?.path ?? held[0]!.path);
      context.refuseAt(
        document,
        rulePath,
        group ? `${group.origin} › group "${group.name}"` : held[0]!.origin,
        `promtool check rules rejects it: ${problem}`,
      );
    }
  }
}
