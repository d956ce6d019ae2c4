import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existingFiles, writeAll } from '../../src/import/write.ts';

// Import writes all of its files or none, and never over a file.

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'monforge-import-write-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('writing an import', () => {
  it('writes every file complete, and takes them back out with the folders it made', async () => {
    const undo = await writeAll(root, [
      { file: 'definitions/imported/a.ts', content: 'a\n' },
      { file: 'definitions/imported/deep/b.ts', content: 'b\n' },
    ]);
    expect(await readFile(path.join(root, 'definitions/imported/deep/b.ts'), 'utf8')).toBe('b\n');
    await undo();
    expect(await readdir(root)).toEqual([]);
  });

  it('leaves nothing behind when a write fails half way', async () => {
    await writeFile(path.join(root, 'definitions'), 'a file where a folder would go\n');
    await expect(
      writeAll(root, [
        { file: 'a.ts', content: 'a\n' },
        { file: 'definitions/b.ts', content: 'b\n' },
      ]),
    ).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect((await readdir(root)).sort()).toEqual(['definitions']);
  });

  it('never replaces a file: those that exist are found before anything is written, and linking refuses one made since', async () => {
    await writeFile(path.join(root, 'taken.ts'), 'mine\n');
    expect(
      await existingFiles(root, [
        { file: 'taken.ts', content: '' },
        { file: 'free.ts', content: '' },
      ]),
    ).toEqual(['taken.ts']);
    await expect(
      writeAll(root, [
        { file: 'free.ts', content: 'x\n' },
        { file: 'taken.ts', content: 'theirs\n' },
      ]),
    ).rejects.toThrow(/EEXIST/);
    expect(await readFile(path.join(root, 'taken.ts'), 'utf8')).toBe('mine\n');
    expect((await readdir(root)).sort()).toEqual(['taken.ts']);
  });
});
