import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { promqlFindings } from '../src/check/promql-lint.ts';
import { promtoolFindings, scrapeConfigFindings } from '../src/check/promtool.ts';
import { formatDrift } from '../src/output/drift.ts';
import { build, generate } from '../src/run/generate.ts';
import { repoRoot } from './helpers/index.ts';

// The example platform in definitions/ and the committed generated/ it compiles to.
describe('the example platform', () => {
  it('has a committed generated/ that is up to date (run `npm run generate` after changing definitions/)', async () => {
    expect(formatDrift((await generate(repoRoot, { check: true })).drift)).toBe('');
  });

  it('parses and passes promtool check rules --lint-fatal, promtool test rules and promtool check config', {
    timeout: 180_000,
  }, async () => {
    const files = await build(repoRoot);
    expect(promqlFindings(files)).toEqual([]);
    expect(await promtoolFindings(path.join(repoRoot, 'generated'), files)).toEqual([]);
    expect(await scrapeConfigFindings(files)).toEqual([]);
  });
});
