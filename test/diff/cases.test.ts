import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJson } from '../../src/diff/format/json.ts';
import { formatMarkdown } from '../../src/diff/format/markdown.ts';
import { diffTrees, type Diff } from '../../src/diff/index.ts';
import { locateLines } from '../../src/diff/locate.ts';
import { readGeneratedRevision, readRevisionFile, type Revision } from '../../src/generated/index.ts';
import { repoRoot } from '../helpers.ts';
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
  beforeAll(async () => {
    repo = await buildRepository(cases);
    let previous: Revision | undefined;
    for (const [name, commit] of repo.commits) {
      const head: Revision = { commit, label: name };
      const base: Revision = previous ?? { commit: `${commit}~1`, label: 'initial' };
      const result = diffTrees(await readGeneratedRevision(repo.root, base), await readGeneratedRevision(repo.root, head));
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
    expect(diffs.get('09-reorder')!.changes).toEqual([]);
    expect(diffs.get('10-comment')!.changes).toEqual([]);
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
