import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monforgeInProcess, repoRoot } from '../../helpers/index.ts';
import { initProject } from './scratch.ts';

// `monforge import` of SLO specs as a user runs it, on the real specs of Sloth and OpenSLO
// (test/fixtures/import/slo, copied from ../shared/corpus), in a project of its own.

const fixtures = path.join(repoRoot, 'test/fixtures/import/slo');
const slothSpecs = [
  'getting-started.yml',
  'home-wifi.yml',
  'k8s-getting-started.yml',
  'multifile.yml',
  'no-alerts.yml',
  'openslo-getting-started.yml',
];
const inputs = {
  ...Object.fromEntries(
    [...slothSpecs, 'plugin-getting-started.yml'].map((name) => [`specs/sloth/${name}`, path.join(fixtures, 'sloth', name)]),
  ),
  'specs/openslo/occurrences-slo.yaml': path.join(fixtures, 'openslo/occurrences-slo.yaml'),
  'specs/openslo/ratio-timeslices.yaml': path.join(fixtures, 'openslo/ratio-timeslices.yaml'),
};

describe('monforge import of SLO specs', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ root, cleanup } = await initProject(inputs));
  });
  afterAll(() => cleanup());

  const listing = async (): Promise<string[]> => (await readdir(path.join(root, 'definitions'), { recursive: true })).sort();

  it('refuses the SLI plugin and the ratio time slices by name, one line each, and writes nothing', async () => {
    const before = await listing();
    const result = await monforgeInProcess(root, 'import', ...Object.keys(inputs));
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toBe(
      [
        'specs/sloth/plugin-getting-started.yml:14: service "myservice" › slo "requests-availability": Sloth SLI plugin "getting_started_availability" writes its own PromQL, which monforge cannot read: write the SLI as events (errorQuery, totalQuery)',
        'specs/openslo/ratio-timeslices.yaml:30: SLO "main-page": budgetingMethod RatioTimeslices: monforge budgets by occurrences (events), not by time slices',
        '2 refusals: nothing written',
        '',
      ].join('\n'),
    );
    expect(await listing()).toEqual(before);
  });

  it('imports every other spec with proof, and the project then generates and passes check', async () => {
    const files = Object.keys(inputs).filter((file) => !/plugin|timeslices/.test(file));
    const result = await monforgeInProcess(root, 'import', ...files);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('7/7 SLOs equivalent');
    expect(result.stdout).toContain(
      'specs/sloth/k8s-getting-started.yml:19: service "myservice" › slo "requests-availability": the same SLO as in specs/sloth/getting-started.yml:10: imported once',
    );
    expect(result.stdout).toContain(
      '  specs/sloth/getting-started.yml:10: service "myservice" › slo "requests-availability": page alert label severity="pageteam" not carried: monforge sets severity itself (critical on the page tier, warning on the ticket tier)\n',
    );
    expect((await listing()).filter((file) => file.startsWith('imported/'))).toEqual([
      'imported/home-wifi-slos.ts',
      'imported/metrics.ts',
      'imported/my-service-slos.ts',
      'imported/myapp-slos.ts',
      'imported/myservice-slos.ts',
      'imported/myservice2-slos.ts',
      'imported/web-shop-slos.ts',
    ]);
    const definitions = path.join(root, 'definitions/imported');
    for (const file of ['myservice-slos.ts', 'home-wifi-slos.ts', 'web-shop-slos.ts', 'metrics.ts']) {
      const golden = path.join(repoRoot, 'test/golden/import/slo', `${file}.txt`);
      const written = await readFile(path.join(definitions, file), 'utf8');
      if (process.env.MONFORGE_UPDATE_GOLDEN) await writeFile(golden, written);
      expect(written, file).toBe(await readFile(golden, 'utf8'));
    }
    expect(await monforgeInProcess(root, 'generate')).toMatchObject({ code: 0, stderr: '' });
    const check = await monforgeInProcess(root, 'check');
    expect(check.stderr).toBe('');
    expect(check).toMatchObject({ code: 0, stdout: 'check passed\n' });
  }, 240_000);
});
