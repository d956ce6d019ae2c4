import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monforge, repoRoot, scratchCopy } from './helpers.ts';

describe('monforge generate', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ root, cleanup } = await scratchCopy('platform'));
  });
  afterAll(() => cleanup());

  it('writes generated/ and then finds no drift', async () => {
    expect(await monforge(root, 'generate')).toMatchObject({ code: 0, stdout: 'generated/ written\n' });
    expect(await readFile(path.join(root, 'generated/prometheus/rules/api.rules.yml'), 'utf8')).toBe(
      await readFile(path.join(repoRoot, 'test/golden/api.rules.yml'), 'utf8'),
    );
    expect(await monforge(root, 'generate', '--check')).toMatchObject({ code: 0, stdout: 'generated/ is up to date\n' });
  });

  it('--check lists stale, missing and extra files and exits 1', async () => {
    await monforge(root, 'generate');
    await writeFile(path.join(root, 'generated/prometheus/rules/api.rules.yml'), 'groups: []\n');
    await rm(path.join(root, 'generated/prometheus/tests/api.test.yml'));
    await writeFile(path.join(root, 'generated/prometheus/rules/old.rules.yml'), 'groups: []\n');
    const result = await monforge(root, 'generate', '--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        'stale: prometheus/rules/api.rules.yml',
        'missing: prometheus/tests/api.test.yml',
        'extra: prometheus/rules/old.rules.yml',
        'run `npx monforge generate` to update generated/',
        '',
      ].join('\n'),
    );
  });

  it('leaves generated/ untouched when the definitions are invalid', async () => {
    await monforge(root, 'generate');
    const before = await readFile(path.join(root, 'generated/prometheus/rules/api.rules.yml'), 'utf8');
    const definition = path.join(root, 'definitions/api.ts');
    const source = await readFile(definition, 'utf8');
    await writeFile(definition, source.replace("threshold: 0.2, window: '28d'", "threshold: 0.25, window: '28d'"));
    try {
      const result = await monforge(root, 'generate');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'definitions/api.ts: service "api" › slo "latency" › threshold: 0.25 is not a bucket of http_request_duration_seconds (0.1, 0.2, 0.5, 1, 2, 5)\n1 error in the definitions\n',
      );
      expect(await readFile(path.join(root, 'generated/prometheus/rules/api.rules.yml'), 'utf8')).toBe(before);
    } finally {
      await writeFile(definition, source);
    }
  });

  it('check runs tsc, the PromQL parser and promtool and passes on valid definitions', async () => {
    await monforge(root, 'generate');
    const result = await monforge(root, 'check');
    expect(result).toMatchObject({ code: 0, stdout: 'check passed\n' });
  }, 180_000);
});

describe('usage', () => {
  it('exits 2 on an unknown command or option', async () => {
    expect((await monforge(repoRoot, 'frobnicate')).code).toBe(2);
    expect((await monforge(repoRoot, 'generate', '--chekc')).code).toBe(2);
    expect((await monforge(repoRoot)).code).toBe(2);
  });
});
