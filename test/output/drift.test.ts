import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkDrift, formatDrift, hasDrift, type Drift } from '../../src/output/drift.ts';
import { plant, scratchDir } from './tree.ts';

const expected = new Map([
  ['prometheus/rules/api.rules.yml', 'groups: []\n'],
  ['prometheus/rules/web.rules.yml', 'groups: []\n'],
  ['alertmanager/alertmanager.yml', 'route: {}\n'],
  ['grafana/api.json', '{}\n'],
  ['grafana/Web.json', '{}\n'],
  ['remediation/playbooks.yml', 'x\n'],
]);

describe('checkDrift', () => {
  test('sorts each difference into stale, missing or extra', async () => {
    const outDir = join(await scratchDir(), 'generated');
    await plant(outDir, {
      'prometheus/rules/api.rules.yml': 'groups: []\n', // identical
      'prometheus/rules/web.rules.yml': 'groups: []\r\n', // line endings differ
      'alertmanager/alertmanager.yml': 'route: {}', // trailing newline lost
      'grafana/api.json': '{}\n',
      'grafana/old.json': '{}\n', // no longer generated
      'remediation/playbooks.yml/inner': 'x\n', // a directory where a file belongs
      '.hidden': '', // hidden files count too
    });
    await mkdir(join(outDir, 'empty', 'dirs'), { recursive: true }); // directories are not files
    expect(await checkDrift(outDir, expected)).toEqual({
      stale: ['alertmanager/alertmanager.yml', 'prometheus/rules/web.rules.yml'],
      missing: ['grafana/Web.json', 'remediation/playbooks.yml'],
      extra: ['.hidden', 'grafana/old.json', 'remediation/playbooks.yml/inner'],
    });
  });

  test('compares bytes: invalid UTF-8 on disk is stale even though it decodes to the expected U+FFFD', async () => {
    const outDir = join(await scratchDir(), 'generated');
    await mkdir(outDir);
    await writeFile(join(outDir, 'a.yml'), Buffer.from([0xff, 0x0a]));
    expect(await checkDrift(outDir, new Map([['a.yml', '\uFFFD\n']]))).toEqual({ stale: ['a.yml'], missing: [], extra: [] });
  });

  test('lists paths in UTF-8 byte order', async () => {
    const outDir = join(await scratchDir(), 'generated');
    await plant(outDir, { '\u{1F600}.yml': '', '\uFF21.yml': '', 'b.yml': '', 'B.yml': '' });
    expect((await checkDrift(outDir, new Map())).extra).toEqual(['B.yml', 'b.yml', '\uFF21.yml', '\u{1F600}.yml']);
  });

  test('reports every file missing when outDir does not exist', async () => {
    const outDir = join(await scratchDir(), 'generated');
    expect(await checkDrift(outDir, expected)).toEqual({
      stale: [],
      missing: [
        'alertmanager/alertmanager.yml',
        'grafana/Web.json',
        'grafana/api.json',
        'prometheus/rules/api.rules.yml',
        'prometheus/rules/web.rules.yml',
        'remediation/playbooks.yml',
      ],
      extra: [],
    });
  });

  test('finds no drift in an up-to-date tree', async () => {
    const outDir = join(await scratchDir(), 'generated');
    await plant(outDir, Object.fromEntries(expected));
    const drift = await checkDrift(outDir, expected);
    expect(drift).toEqual({ stale: [], missing: [], extra: [] });
    expect(hasDrift(drift)).toBe(false);
  });

  test('rejects paths that would look outside outDir', async () => {
    const outDir = join(await scratchDir(), 'generated');
    await expect(checkDrift(outDir, new Map([['../secret', '']]))).rejects.toThrow('unsafe output path "../secret"');
  });
});

describe('formatDrift', () => {
  test('one line per file, stale then missing then extra, then how to fix it', () => {
    const drift: Drift = {
      stale: ['prometheus/rules/api.rules.yml'],
      missing: ['grafana/api.json', 'grafana/web.json'],
      extra: ['old.yml'],
    };
    expect(formatDrift(drift)).toBe(
      [
        'stale: prometheus/rules/api.rules.yml',
        'missing: grafana/api.json',
        'missing: grafana/web.json',
        'extra: old.yml',
        'run `npx monforge generate` to update generated/',
      ].join('\n'),
    );
  });

  test('is empty without drift', () => {
    expect(formatDrift({ stale: [], missing: [], extra: [] })).toBe('');
  });
});

describe('hasDrift', () => {
  test.each<[keyof Drift]>([['stale'], ['missing'], ['extra']])('is true with only %s files', (kind) => {
    expect(hasDrift({ stale: [], missing: [], extra: [], [kind]: ['x'] })).toBe(true);
  });
});
