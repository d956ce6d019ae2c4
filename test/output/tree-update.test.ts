import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TreeChangedError, updateTree } from '../../src/output/tree-update.ts';
import { plant, scratchDir, snapshot } from './tree.ts';

async function generatedWith(files: Record<string, string>): Promise<{ parent: string; outDir: string }> {
  const parent = await scratchDir();
  const outDir = join(parent, 'generated');
  await plant(outDir, files);
  return { parent, outDir };
}

describe('updateTree', () => {
  test('says of each file as it is put whether its bytes were there, and swaps in the new tree', async () => {
    const { parent, outDir } = await generatedWith({ 'same.yml': 'a\n', 'other.yml': 'b\n', 'gone.yml': 'c\n' });
    const same = await stat(join(outDir, 'same.yml'));
    const statuses: string[] = [];
    const { drift, oldTreeRemoved } = await updateTree(outDir, { write: true }, (tree) => {
      statuses.push(tree.put('same.yml', 'a\n'), tree.put('other.yml', 'B\n'), tree.put('new/deep.yml', 'd\n'));
    });
    expect(statuses).toEqual(['unchanged', 'stale', 'missing']);
    expect(drift).toEqual({ stale: ['other.yml'], missing: ['new/deep.yml'], extra: ['gone.yml'] });
    await oldTreeRemoved;
    expect(await snapshot(outDir)).toEqual({ 'new/': '', 'new/deep.yml': 'd\n', 'other.yml': 'B\n', 'same.yml': 'a\n' });
    // The same bytes are linked from the old tree, not written again.
    expect((await stat(join(outDir, 'same.yml'))).ino).toBe(same.ino);
    expect(await readdir(parent)).toEqual(['generated']);
  });

  test('compares bytes of any length and encoding, whatever came before', async () => {
    const long = `${'x'.repeat(100_000)}\n`;
    const wide = `${'😀é'.repeat(30_000)}\n`; // UTF-8 twice the bytes of its UTF-16 length
    const { outDir } = await generatedWith({
      'short.yml': 'ab\n',
      'long.yml': long,
      'wide.yml': wide,
      'near.yml': `${'😀'.repeat(29_999)}é\n`,
    });
    const { drift } = await updateTree(outDir, { write: false }, (tree) => {
      tree.put('short.yml', 'ab\n');
      tree.put('long.yml', long);
      tree.put('wide.yml', wide);
      tree.put('near.yml', `${'😀'.repeat(30_000)}\n`); // one character differs near the end
    });
    expect(drift).toEqual({ stale: ['near.yml'], missing: [], extra: [] });
  });

  test('comparing only writes nothing, not even a staging folder', async () => {
    const { parent, outDir } = await generatedWith({ 'a.yml': 'a\n' });
    const before = await snapshot(parent);
    const { drift } = await updateTree(outDir, { write: false }, (tree) => {
      tree.put('a.yml', 'changed\n');
      tree.put('b.yml', 'b\n');
    });
    expect(drift).toEqual({ stale: ['a.yml'], missing: ['b.yml'], extra: [] });
    expect(await snapshot(parent)).toEqual(before);
  });

  test('links a file the caller knows is unchanged without reading it, and writes it when it is not there after all', async () => {
    const { outDir } = await generatedWith({ 'known.yml': 'on disk\n', 'own.yml': 'own\n', 'vanished.yml': 'x\n', 'edited.yml': 'a\n' });
    const known = await stat(join(outDir, 'known.yml'));
    const { oldTreeRemoved } = await updateTree(outDir, { write: true }, async (tree) => {
      expect(tree.put('edited.yml', 'b\n')).toBe('stale'); // the new tree is begun
      // The caller's word is taken: the file is linked, and its text is never asked for.
      const unread = (): string => {
        throw new Error('read a file the tree could link');
      };
      expect(tree.keep('known.yml', unread)).toBe('unchanged');
      expect(tree.keep('own.yml')).toBe('unchanged');
      // Gone between the listing and the link (an editor, a second run): its text is asked for and written.
      await rm(join(outDir, 'vanished.yml'));
      expect(tree.keep('vanished.yml', () => 'x\n')).toBe('unchanged');
    });
    await oldTreeRemoved;
    expect((await stat(join(outDir, 'known.yml'))).ino).toBe(known.ino);
    expect(await readFile(join(outDir, 'vanished.yml'), 'utf8')).toBe('x\n');
  });

  test('a run that changes nothing leaves the tree as it is; a file to remove is a change', async () => {
    const { parent, outDir } = await generatedWith({ 'a.yml': 'a\n', 'b/c.yml': 'c\n' });
    const tree = await stat(outDir);
    const same = await updateTree(outDir, { write: true }, (update) => {
      update.put('a.yml', 'a\n');
      update.keep('b/c.yml', () => 'c\n');
    });
    expect(same.drift).toEqual({ stale: [], missing: [], extra: [] });
    await same.oldTreeRemoved;
    expect((await stat(outDir)).ino).toBe(tree.ino); // not swapped
    expect(await readdir(parent)).toEqual(['generated']); // no staging left behind
    // Only a file removed: the new tree is begun at the end, with the unchanged files linked.
    const a = await stat(join(outDir, 'a.yml'));
    const fewer = await updateTree(outDir, { write: true }, (update) => void update.put('a.yml', 'a\n'));
    await fewer.oldTreeRemoved;
    expect(fewer.drift).toEqual({ stale: [], missing: [], extra: ['b/c.yml'] });
    expect(await snapshot(outDir)).toEqual({ 'a.yml': 'a\n' });
    expect((await stat(join(outDir, 'a.yml'))).ino).toBe(a.ino);
    expect((await stat(outDir)).ino).not.toBe(tree.ino);
  });

  test('a file found unchanged, then replaced or removed before the new tree is begun, fails the run and leaves the old tree', async () => {
    const { parent, outDir } = await generatedWith({ 'a.yml': 'a\n', 'b.yml': 'b\n', 'c.yml': 'c\n' });
    const before = await snapshot(parent);
    await expect(
      updateTree(outDir, { write: true }, async (tree) => {
        expect(tree.put('a.yml', 'a\n')).toBe('unchanged');
        // Saved by rename meanwhile (an editor, git): a new file of the same size.
        await writeFile(join(outDir, 'a.new'), 'A\n');
        await rename(join(outDir, 'a.new'), join(outDir, 'a.yml'));
        tree.put('b.yml', 'B\n'); // the first change: the tree is begun, a.yml linked
      }),
    ).rejects.toThrow(new TreeChangedError(`${outDir}/a.yml changed while it was being generated: the tree is left as it was; run again`));
    expect(await snapshot(parent)).toEqual({ ...before, 'generated/a.yml': 'A\n' });
    await expect(
      updateTree(outDir, { write: true }, async (tree) => {
        expect(tree.keep('c.yml')).toBe('unchanged'); // taken from the tree unread: its bytes are the tree's own
        await rm(join(outDir, 'c.yml'));
        tree.put('b.yml', 'B\n');
      }),
    ).rejects.toThrow(TreeChangedError);
    expect(await readdir(parent)).toEqual(['generated']);
  });

  test('a file kept with its text in hand (generate --watch), removed or replaced meanwhile, is written from that text', async () => {
    const { outDir } = await generatedWith({ 'a.yml': 'a\n', 'b.yml': 'b\n', 'c.yml': 'c\n' });
    const { oldTreeRemoved } = await updateTree(outDir, { write: true }, async (tree) => {
      tree.keep('a.yml', () => 'a\n');
      tree.keep('c.yml', () => 'c\n');
      await rm(join(outDir, 'a.yml'));
      await writeFile(join(outDir, 'c.new'), 'C\n');
      await rename(join(outDir, 'c.new'), join(outDir, 'c.yml'));
      tree.put('b.yml', 'B\n');
    });
    await oldTreeRemoved;
    expect(await snapshot(outDir)).toEqual({ 'a.yml': 'a\n', 'b.yml': 'B\n', 'c.yml': 'c\n' });
  });

  test('refuses a path put twice, and a failure while filling leaves the old tree byte for byte', async () => {
    const { parent, outDir } = await generatedWith({ 'a.yml': 'a\n' });
    const before = await snapshot(parent);
    await expect(
      updateTree(outDir, { write: true }, (tree) => {
        tree.put('b.yml', 'b\n');
        tree.put('b.yml', 'b\n');
      }),
    ).rejects.toThrow('two outputs produce the same file: b.yml');
    await expect(
      updateTree(outDir, { write: true }, (tree) => {
        tree.put('../escape.yml', 'x');
      }),
    ).rejects.toThrow('unsafe output path "../escape.yml"');
    expect(await snapshot(parent)).toEqual(before);
  });

  test('writes a new tree where there was none', async () => {
    const parent = await scratchDir();
    const outDir = join(parent, 'deep', 'generated');
    const { drift, oldTreeRemoved } = await updateTree(outDir, { write: true }, (tree) => void tree.put('a.yml', 'a\n'));
    await oldTreeRemoved;
    expect(drift).toEqual({ stale: [], missing: ['a.yml'], extra: [] });
    expect(await snapshot(outDir)).toEqual({ 'a.yml': 'a\n' });
    await writeFile(join(parent, 'file'), 'not a directory');
    await expect(updateTree(join(parent, 'file'), { write: false }, () => {})).rejects.toThrow('exists and is not a directory');
  });
});
