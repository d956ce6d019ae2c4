import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../../src/init/templates.ts';
import { monforgeInProcess, repoRoot } from '../helpers/index.ts';

const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
const version = manifest.version;
const sdk = manifest.dependencies['@grafana/grafana-foundation-sdk'];

const scaffold = [
  '.github/workflows/monforge-diff.yml',
  '.github/workflows/monforge.yml',
  '.gitignore',
  '.gitlab-ci.yml',
  '.gitlab/monforge/check.yml',
  '.gitlab/monforge/diff.yml',
  '.gitlab/monforge/setup.yml',
  'README.md',
  'definitions/checkout.ts',
  'definitions/platform.ts',
  'definitions/playbooks.ts',
  'definitions/policies.ts',
  'definitions/teams.ts',
  'package.json',
  'tsconfig.json',
];

// The consumer test (package.test.ts) shows the scaffold generates and checks; these pin what
// init writes, merges, keeps and refuses.
describe('monforge init', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'monforge-init-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('scaffolds an empty folder, placeholders rendered, and a second run changes nothing', async () => {
    const dir = path.join(work, 'Shop Monitoring');
    expect(await monforgeInProcess(work, 'init', '--dir', 'Shop Monitoring')).toEqual({
      code: 0,
      stdout: [
        ...scaffold.map((file) => `created Shop Monitoring/${file}`),
        "next: cd 'Shop Monitoring' && npm install && npx monforge generate && npx monforge check",
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'))).toEqual({
      name: 'shop-monitoring',
      private: true,
      type: 'module',
      scripts: { generate: 'monforge generate', check: 'monforge check', test: 'monforge check' },
      dependencies: { '@grafana/grafana-foundation-sdk': sdk, monforge: `^${version}` },
    });
    const workflow = await readFile(path.join(dir, '.github/workflows/monforge.yml'), 'utf8');
    expect(workflow).toContain('working-directory: "."');
    expect(await readFile(path.join(dir, '.gitlab/monforge/setup.yml'), 'utf8')).toContain("- cd '.'");
    // Prometheus templates in the definitions are not placeholders.
    expect(await readFile(path.join(dir, 'definitions/checkout.ts'), 'utf8')).toContain('{{ $value | humanizeDuration }}');
    const again = await monforgeInProcess(dir, 'init');
    expect(again.stdout).toBe(
      [...scaffold.map((file) => `unchanged ${file}`), 'next: npm install && npx monforge generate && npx monforge check', ''].join('\n'),
    );
  });

  it('keeps a file that differs unless --force, which overwrites it', async () => {
    const dir = path.join(work, 'force');
    await monforgeInProcess(work, 'init', '--dir', 'force');
    const file = path.join(dir, 'definitions/checkout.ts');
    await writeFile(file, '// ours\n');
    const kept = await monforgeInProcess(dir, 'init');
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('skipped definitions/checkout.ts: exists and differs (--force overwrites it)\n');
    expect(await readFile(file, 'utf8')).toBe('// ours\n');
    const forced = await monforgeInProcess(dir, 'init', '--force');
    expect(forced.stdout).toContain('overwritten definitions/checkout.ts\n');
    expect(await readFile(file, 'utf8')).toContain("name: 'checkout'");
  });

  it("adds to an existing package.json, README.md and .gitignore and keeps what is there, the package's type included", async () => {
    const dir = path.join(work, 'existing');
    await mkdir(dir);
    const manifest = {
      name: 'existing',
      version: '1.0.0',
      scripts: { test: 'echo "Error: no test specified" && exit 1', check: 'eslint .' },
      type: 'commonjs',
      devDependencies: { monforge: 'file:../monforge.tgz' },
    };
    await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    await writeFile(path.join(dir, 'README.md'), '# Existing\n\nOur service.\n');
    await writeFile(path.join(dir, '.gitignore'), 'node_modules/\n');
    const { stdout } = await monforgeInProcess(dir, 'init');
    expect(stdout.split('\n').filter((line) => line.startsWith('updated'))).toEqual([
      'updated .gitignore: added "monforge"',
      'updated README.md: added "Monitoring as code with monforge"',
      `updated package.json: added script generate, script test, dependency @grafana/grafana-foundation-sdk@${sdk}`,
    ]);
    expect(JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'))).toEqual({
      ...manifest,
      scripts: { test: 'monforge check', check: 'eslint .', generate: 'monforge generate' },
      // The SDK that dashboards of one's own import, beside monforge wherever the project has it.
      dependencies: { '@grafana/grafana-foundation-sdk': sdk },
    });
    const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
    expect(readme.startsWith('# Existing\n\nOur service.\n\n## Monitoring as code with monforge\n')).toBe(true);
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n\n# monforge\nnode_modules/\n.monforge/\n');
    const again = await monforgeInProcess(dir, 'init');
    expect(again.stdout).not.toContain('updated');
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toBe(readme);
  });

  it('writes nothing into a project whose package.json it cannot read', async () => {
    const dir = path.join(work, 'broken');
    await mkdir(dir);
    await writeFile(path.join(dir, 'package.json'), '{ "name": ');
    const result = await monforgeInProcess(dir, 'init');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^package\.json: not valid JSON \(.+\); nothing was written\n$/);
    expect(await readdir(dir)).toEqual(['package.json']);
  });

  it('puts the CI files at the root of the git repository around a project in a sub-folder (--root and --dir)', async () => {
    const repository = path.join(work, 'repo');
    await mkdir(path.join(repository, '.git'), { recursive: true });
    const result = await monforgeInProcess(work, 'init', '--root', 'repo', '--dir', 'monitoring');
    expect(result.stdout).toContain('created repo/.github/workflows/monforge.yml\n');
    expect(result.stdout).toContain('created repo/.gitlab-ci.yml\n');
    expect(result.stdout).toContain('created repo/monitoring/definitions/checkout.ts\n');
    expect(result.stdout).toContain('next: cd repo/monitoring && npm install');
    const workflow = await readFile(path.join(repository, '.github/workflows/monforge.yml'), 'utf8');
    expect(workflow).toContain('working-directory: "monitoring"');
    expect(workflow).toContain('cache-dependency-path: "monitoring/package-lock.json"');
    // Both keep the cache in the project, outside node_modules (npm ci empties it).
    const github = parse(workflow) as { jobs: { check: { steps: { uses?: string; run?: string; with?: { path?: string } }[] } } };
    const steps = github.jobs.check.steps;
    expect(steps.find((step) => step.uses?.startsWith('actions/cache@'))!.with!.path).toBe('monitoring/.monforge/check-cache');
    expect(steps.map((step) => step.run).find((run) => run?.startsWith('npx monforge check'))).toBe(
      'npx monforge check --cache-dir .monforge/check-cache ${CHANGED_SINCE:+--changed-since "$CHANGED_SINCE"}',
    );
    const gitlab = parse(await readFile(path.join(repository, '.gitlab/monforge/check.yml'), 'utf8'));
    expect(gitlab['monforge:check'].cache[1].paths).toEqual(['monitoring/.monforge/check-cache/']);
    expect(gitlab['monforge:check'].script).toContain('npx monforge check --cache-dir .monforge/check-cache');
    // generate --check compiles through the same cache: check then finds each service's files there.
    expect(steps.map((step) => step.run)).toContain('npx monforge generate --check --cache-dir .monforge/check-cache');
    expect(gitlab['monforge:check'].script).toContain('npx monforge generate --check --cache-dir .monforge/check-cache');
    expect(await readFile(path.join(repository, '.gitlab/monforge/setup.yml'), 'utf8')).toContain("- cd 'monitoring'");
    expect(await readdir(path.join(repository, 'monitoring'))).not.toContain('.github');
  });

  it('refuses a --dir that is a file, in one line', async () => {
    await writeFile(path.join(work, 'a-file'), '');
    expect(await monforgeInProcess(work, 'init', '--dir', 'a-file')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'a-file is not a directory\n',
    });
  });

  it('leaves GitHub expressions and Go templates alone, and rejects a placeholder it does not know', () => {
    const values = { monforgeVersion: '1.2.3', monforgeDependency: '^1.2.3', sdkDependency: '^0.0.21', projectDir: '.', projectName: 'x' };
    expect(render('a.yml', 'v{{monforgeVersion}} ${{ github.sha }} ${{github.ref}} {{ $labels.job }}', values)).toBe(
      'v1.2.3 ${{ github.sha }} ${{github.ref}} {{ $labels.job }}',
    );
    expect(() => render('a.yml', '{{monforgeVersoin}}', values)).toThrow('templates/init/a.yml: unknown placeholder {{monforgeVersoin}}');
  });
});
