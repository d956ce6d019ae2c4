// Failures during the swap itself, which a real filesystem will not produce on demand:
// rename is wrapped to fail for one chosen source directory.
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { writeFileSet } from '../../src/output/write.ts';
import { plant, scratchDir, snapshot } from './tree.ts';

const failing = vi.hoisted(() => ({ renameFrom: undefined as RegExp | undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    rename: async (from: string, to: string) => {
      if (failing.renameFrom?.test(basename(from))) throw Object.assign(new Error(`EBUSY: injected, rename '${from}'`), { code: 'EBUSY' });
      return fs.rename(from, to);
    },
  };
});

afterEach(() => {
  failing.renameFrom = undefined;
});

describe('writeFileSet when the swap fails', () => {
  test.each([
    ['moving the old tree aside', /^generated$/],
    ['moving the new tree into place', /^\.monforge-tmp-/],
  ])('%s: the old tree is back in place and nothing is left over', async (_step, renameFrom) => {
    const parent = await scratchDir();
    const outDir = join(parent, 'generated');
    await plant(outDir, { 'prometheus/rules/api.rules.yml': 'old\n', 'grafana/api.json': '{}\n' });
    const before = await snapshot(parent);
    failing.renameFrom = renameFrom;
    await expect(writeFileSet(outDir, new Map([['prometheus/rules/api.rules.yml', 'new\n']]))).rejects.toThrow('EBUSY: injected');
    expect(await snapshot(parent)).toEqual(before);
    expect(await readdir(parent)).toEqual(['generated']);
  });
});
