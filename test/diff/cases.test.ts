import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJson } from '../../src/diff/format/json.ts';
import { formatMarkdown } from '../../src/diff/format/markdown.ts';
import { diffTrees, type Diff } from '../../src/diff/index.ts';
import { locateLines } from '../../src/diff/locate.ts';
import { matchRoutes } from '../../src/route-evaluator/evaluate.ts';
import { routeTestFailures } from '../../src/check/amtool.ts';
import { alertingRules, readGeneratedRevision, readRevisionFile, type GeneratedTree, type Revision } from '../../src/reader/index.ts';
import { repoRoot } from '../helpers/index.ts';
import { cases } from './cases.ts';
import { buildRepository, type FixtureRepository } from './repository.ts';

const goldenDir = path.join(repoRoot, 'test/golden/diff');

/** Golden files are written only on request (MONFORGE_UPDATE_GOLDEN=1) and reviewed by hand before committing. */
async function expectGolden(file: string, actual: string): Promise<void> {
  const golden = path.join(goldenDir, file);
  if (process.env.MONFORGE_UPDATE_GOLDEN) {
    await mkdir(goldenDir, { recursive: true });
    await writeFile(golden, actual);
  }
  expect(actual).toBe(await readFile(golden, 'utf8'));
}

describe('monforge diff on a repository with one change per commit', () => {
  let repo: FixtureRepository;
  const diffs = new Map<string, Diff>();
  const trees: GeneratedTree[] = [];
  beforeAll(async () => {
    repo = await buildRepository(cases);
    let previous: Revision | undefined;
    for (const [name, commit] of repo.commits) {
      const head: Revision = { commit, label: name };
      const base: Revision = previous ?? { commit: `${commit}~1`, label: 'initial' };
      if (!previous) trees.push(await readGeneratedRevision(repo.root, base));
      trees.push(await readGeneratedRevision(repo.root, head));
      const result = diffTrees(trees.at(-2)!, trees.at(-1)!);
      const sources = new Map<string, string>();
      for (const source of new Set(result.changes.flatMap((change) => (change.source ? [change.source] : [])))) {
        const text = await readRevisionFile(repo.root, head, source);
        if (text !== undefined) sources.set(source, text);
      }
      diffs.set(name, { ...result, changes: locateLines(result.changes, sources) });
      previous = head;
    }
  }, 120_000);
  afterAll(() => repo?.cleanup());

  for (const { name } of cases) {
    it(`${name}: Markdown and JSON as reviewed`, async () => {
      const diff = diffs.get(name)!;
      await expectGolden(`${name}.md`, formatMarkdown(diff));
      await expectGolden(`${name}.json`, formatJson(diff));
    });
  }

  it('reports nothing for a reorder or a comment', () => {
    // The reorder moved rules and renumbered dashboard panels (and the alerts' links to them).
    const [before, after] = [trees[8]!, trees[9]!];
    for (const file of ['prometheus/rules/api.rules.yml', 'grafana/dashboards/platform/api.json'])
      expect(after.files.get(file)).not.toBe(before.files.get(file));
    expect(diffs.get('09-reorder')!.changes).toEqual([]);
    expect(diffs.get('10-comment')!.changes).toEqual([]);
  });

  it('routes every alert of every commit, with and without test="true", as amtool config routes test does', async () => {
    const labelSets = new Map(
      trees.flatMap((tree) =>
        alertingRules(tree).flatMap(({ rule }) => {
          const labels = { alertname: rule.alert, ...rule.labels };
          return [labels, { ...labels, test: 'true' }].map((each) => [JSON.stringify(each), each] as const);
        }),
      ),
    );
    const configs = new Map(trees.map((tree) => [tree.files.get('alertmanager/alertmanager.yml')!, tree]));
    expect(configs.size).toBe(2);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-diff-amtool-'));
    try {
      for (const [index, [content, tree]] of [...configs].entries()) {
        await writeFile(path.join(dir, `${index}.yml`), content);
        const routeCases = [...labelSets.values()].map((labels) => ({
          labels,
          receivers: matchRoutes(tree.alertmanager!.config.route, labels).map((match) => match.route.receiver),
        }));
        expect(await routeTestFailures(dir, `${index}.yml`, routeCases)).toEqual([]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('marks what is breaking or needs review, and nothing else', () => {
    const flagged = [...diffs].flatMap(([name, diff]) =>
      diff.changes
        .filter((change) => change.breaking || change.securityReview)
        .map((change) => `${name} ${change.kind} ${change.object} ${change.breaking ? 'breaking' : 'review'}`),
    );
    expect(flagged).toEqual([
      '06-removed-recording-rule recording slo:period_error_budget_remaining:ratio{service="api",slo="latency"} breaking',
      '08-playbook-exec playbook restart-api review',
    ]);
  });
});
