import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { FileSet } from '../../src/output/fileset.ts';
import { generatedHeader, toJson, toYaml } from '../../src/output/serialize.ts';
import { writeFileSet } from '../../src/output/write.ts';
import { plant, scratchDir, snapshot } from './tree.ts';

const oldTree = {
  'prometheus/rules/api.rules.yml': 'groups: []\n',
  'prometheus/rules/retired.rules.yml': 'groups: []\n',
  'grafana/api.json': '{}\n',
};

const newFiles: FileSet = new Map([
  ['prometheus/rules/api.rules.yml', 'groups:\n  - name: api\n'],
  ['alertmanager/alertmanager.yml', 'route: {}\n'],
  ['README', 'ünïcode ✓\n'],
]);

async function generatedWithOld(): Promise<{ parent: string; outDir: string }> {
  const parent = await scratchDir();
  const outDir = join(parent, 'generated');
  await plant(outDir, oldTree);
  return { parent, outDir };
}

describe('writeFileSet', () => {
  test('creates a missing outDir and its parents, leaving no temp dir behind', async () => {
    const root = await scratchDir();
    const outDir = join(root, 'deep', 'generated');
    await writeFileSet(outDir, newFiles);
    expect(await snapshot(root)).toEqual({
      'deep/': '',
      'deep/generated/': '',
      'deep/generated/README': Buffer.from('ünïcode ✓\n').toString('latin1'),
      'deep/generated/alertmanager/': '',
      'deep/generated/alertmanager/alertmanager.yml': 'route: {}\n',
      'deep/generated/prometheus/': '',
      'deep/generated/prometheus/rules/': '',
      'deep/generated/prometheus/rules/api.rules.yml': 'groups:\n  - name: api\n',
    });
  });

  test('replaces the whole old tree, so files no longer generated disappear', async () => {
    const { parent, outDir } = await generatedWithOld();
    await writeFileSet(outDir, newFiles);
    expect(await readdir(parent)).toEqual(['generated']);
    expect(Object.keys(await snapshot(outDir)).sort()).toEqual([
      'README',
      'alertmanager/',
      'alertmanager/alertmanager.yml',
      'prometheus/',
      'prometheus/rules/',
      'prometheus/rules/api.rules.yml',
    ]);
  });

  test('a write that fails before the swap leaves the old tree byte for byte and removes the temp dir', async () => {
    const { parent, outDir } = await generatedWithOld();
    const before = await snapshot(parent);
    // `a` cannot be both a file and the directory holding `a/b`, in either write order.
    for (const order of [
      ['a', 'a/b'],
      ['a/b', 'a'],
    ]) {
      const clash = new Map([['z.yml', 'new\n'], ...order.map((p): [string, string] => [p, 'x'])]);
      await expect(writeFileSet(outDir, clash)).rejects.toThrow(/E(NOTDIR|EXIST|ISDIR)/);
      expect(await snapshot(parent)).toEqual(before);
    }
  });

  test.each(['../escape.yml', '/etc/monforge.yml', 'a/../../b'])('rejects %j before touching the disk', async (path) => {
    const root = await scratchDir();
    const outDir = join(root, 'not-yet', 'generated');
    await expect(
      writeFileSet(
        outDir,
        new Map([
          ['ok.yml', ''],
          [path, 'x'],
        ]),
      ),
    ).rejects.toThrow('unsafe output path');
    expect(await readdir(root)).toEqual([]);
  });

  test('refuses to replace a file that sits where outDir should be', async () => {
    const root = await scratchDir();
    const outDir = join(root, 'generated');
    await writeFile(outDir, 'not a directory');
    await expect(writeFileSet(outDir, newFiles)).rejects.toThrow(`${outDir} exists and is not a directory`);
    expect(await readFile(outDir, 'utf8')).toBe('not a directory');
    expect((await stat(outDir)).isFile()).toBe(true);
  });

  test('two runs from equal definitions give identical bytes', async () => {
    // Built from scratch each time, as two `monforge generate` runs would.
    const compile = (): FileSet =>
      new Map([
        [
          'prometheus/rules/api.rules.yml',
          toYaml(
            { groups: [{ name: 'api', rules: [{ record: 'x', expr: 'sum(rate(y{code=~"5.."}[5m])) > 0.0000001' }] }] },
            generatedHeader(['definitions/api.ts']),
          ),
        ],
        ['grafana/api.json', toJson({ title: 'API', panels: [{ id: 1, threshold: 0.0000001 }] })],
      ]);
    const root = await scratchDir();
    await writeFileSet(join(root, 'first'), compile());
    await writeFileSet(join(root, 'second'), compile());
    const first = await snapshot(join(root, 'first'));
    expect(await snapshot(join(root, 'second'))).toEqual(first);
    await writeFileSet(join(root, 'first'), compile());
    expect(await snapshot(join(root, 'first'))).toEqual(first);
  });
});
