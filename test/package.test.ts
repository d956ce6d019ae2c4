import { cp, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runProgram } from './helpers/index.ts';

// What a user does: pack monforge, install the tarball into a project of its own (outside this
// repository, offline from npm's cache where it can), `monforge init`, then the CI steps init wrote.

/** The environment of a user's shell: none of this repository's npm run variables or bins. */
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_') || name === 'npm_config_cache')),
  PATH: (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.endsWith(path.join('node_modules', '.bin')))
    .join(path.delimiter),
};

const run = (cwd: string, command: string, ...args: string[]) => runProgram(command, args, { cwd, env });

/** Runs a command that must succeed; its output otherwise fails the test. */
async function ok(cwd: string, command: string, ...args: string[]): Promise<string> {
  const result = await run(cwd, command, ...args);
  expect(result, `${command} ${args.join(' ')}`).toMatchObject({ code: 0 });
  return result.stdout;
}

const install = ['install', '--prefer-offline', '--no-audit', '--no-fund'];

/** The foundation SDK's range in monforge's own dependencies: init gives a project the same. */
async function sdkRange(): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  return manifest.dependencies['@grafana/grafana-foundation-sdk']!;
}

/**
 * A copy of what `npm pack` reads, so that `prepack` builds dist/ there: a dist/ appearing in
 * this checkout mid-run would be what other test files' type-checks resolve `monforge` to.
 */
async function packingCopy(into: string): Promise<string> {
  const copy = path.join(into, 'monforge');
  const packageFiles = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')).files as string[];
  const sources = [
    ...packageFiles.filter((entry) => entry !== 'dist'),
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'src',
  ];
  for (const entry of sources) await cp(path.join(repoRoot, entry), path.join(copy, entry), { recursive: true });
  await symlink(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describe('the npm package in another repository', () => {
  let work: string;
  let tarball: string;
  let packed: string[];
  let project: string;
  let copy: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'monforge-consumer-'));
    copy = await packingCopy(work);
    // `prepack` builds dist/ (JS and declarations) first.
    const [result] = JSON.parse(await ok(copy, 'npm', 'pack', '--json', '--pack-destination', work)) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = path.join(work, result!.filename);
    packed = result!.files.map((file) => file.path).sort();
    project = path.join(work, 'shop-monitoring');
    await ok(work, 'mkdir', project);
    await ok(project, 'npm', 'init', '-y');
    // npm 11 writes "type": "commonjs", npm 10 leaves it out: the same package type, made explicit.
    const manifest = path.join(project, 'package.json');
    await writeFile(manifest, `${JSON.stringify({ ...JSON.parse(await readFile(manifest, 'utf8')), type: 'commonjs' }, null, 2)}\n`);
    await ok(project, 'npm', ...install, tarball);
  }, 180_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('holds the CLI, the built JS with declarations, the init templates, the vendored CRDs, README, CHANGELOG and LICENSE, nothing else', async () => {
    const sources = (await filesUnder(path.join(repoRoot, 'src'))).filter((file) => file.endsWith('.ts'));
    const expected = [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'package.json',
      ...(await filesUnder(path.join(repoRoot, 'bin'))).map((file) => `bin/${file}`),
      ...(await filesUnder(path.join(repoRoot, 'templates'))).map((file) => `templates/${file}`),
      ...(await filesUnder(path.join(repoRoot, 'vendor/crds'))).map((file) => `vendor/crds/${file}`),
      ...sources.flatMap((file) => [`dist/${file.replace(/\.ts$/, '.js')}`, `dist/${file.replace(/\.ts$/, '.d.ts')}`]),
    ].sort();
    expect(packed).toEqual(expected);
    const dryRun = JSON.parse(await ok(copy, 'npm', 'pack', '--dry-run', '--json', '--ignore-scripts')) as {
      files: { path: string }[];
    }[];
    expect(dryRun[0]!.files.map((file) => file.path).sort()).toEqual(expected);
  });

  it('init scaffolds a project that passes its own CI steps with no edits (in a CommonJS package made by npm init)', async () => {
    expect(await ok(project, 'npx', 'monforge', 'init')).toBe(
      [
        'created .github/workflows/monforge-diff.yml',
        'created .github/workflows/monforge.yml',
        'created .gitignore',
        'created .gitlab-ci.yml',
        'created .gitlab/monforge/check.yml',
        'created .gitlab/monforge/diff.yml',
        'created .gitlab/monforge/setup.yml',
        'created README.md',
        'created definitions/checkout.ts',
        'created definitions/platform.ts',
        'created definitions/playbooks.ts',
        'created definitions/policies.ts',
        'created definitions/teams.ts',
        `updated package.json: added script generate, script check, script test, dependency @grafana/grafana-foundation-sdk@${await sdkRange()}`,
        'created tsconfig.json',
        'next: npm install && npx monforge generate && npx monforge check',
        '',
      ].join('\n'),
    );
    await ok(project, 'npm', ...install);
    expect(await ok(project, 'npx', 'monforge', 'generate')).toMatch(
      /^generated\/ written: \d+ files \(.*\); 0 changed, \d+ added, 0 removed, 0 unchanged\n$/,
    );
    // The steps of both CI files as written, but for installing the tools (they are on PATH here).
    const github = parse(await readFile(path.join(project, '.github/workflows/monforge.yml'), 'utf8'));
    const gitlab = {
      ...parse(await readFile(path.join(project, '.gitlab/monforge/setup.yml'), 'utf8')),
      ...parse(await readFile(path.join(project, '.gitlab/monforge/check.yml'), 'utf8')),
    };
    expect(gitlab['monforge:check'].extends).toBe('.monforge');
    const steps: string[] = [
      ...github.jobs.check.steps.flatMap((step: { run?: string }) => (step.run ? [step.run] : [])),
      ...gitlab['.monforge'].before_script,
      ...gitlab['monforge:check'].script,
    ];
    const apt = 'apt-get update && apt-get install -y --no-install-recommends prometheus prometheus-alertmanager';
    expect(steps.filter((step) => step.includes('apt-get'))).toEqual([`sudo ${apt.replace(' && ', ' && sudo ')}`, apt]);
    // Both run the same commands: each once.
    for (const step of new Set(steps.filter((step) => !step.includes('apt-get')))) await ok(project, 'sh', '-c', step);
    expect(await ok(project, 'npm', 'test')).toContain('check passed');
  }, 120_000);

  it('check names the file and line of a wrong label; generate names file, service, object and field of a bad threshold', async () => {
    const file = path.join(project, 'definitions/checkout.ts');
    const source = await readFile(file, 'utf8');
    const line = source.split('\n').findIndex((text) => text.includes("{ code: re('5..') }")) + 1;
    try {
      await writeFile(file, source.replace("{ code: re('5..') }", "{ status: re('5..') }"));
      const check = await run(project, 'npx', 'monforge', 'check');
      expect(check.code).toBe(1);
      expect(check.stderr.split('\n')[0]).toBe('the definitions do not type-check (tsc) [check/type-errors]');
      expect(check.stderr).toMatch(new RegExp(`^definitions/checkout\\.ts\\(${line},\\d+\\): error TS2353: .*'status'`, 'm'));
      await writeFile(file, source.replace('threshold: 0.25', 'threshold: 0.3'));
      expect(await run(project, 'npx', 'monforge', 'generate')).toMatchObject({
        code: 1,
        stderr:
          'definitions/checkout.ts: service "checkout" › slo "latency" › threshold: 0.3 is not a bucket of http_request_duration_seconds (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5) [slos/threshold-not-bucket]\n1 error in the definitions\n',
      });
    } finally {
      await writeFile(file, source);
    }
  }, 60_000);

  it('check type-checks with its own settings when the project has no tsconfig.json, and a broken one is a finding', async () => {
    const tsconfig = path.join(project, 'tsconfig.json');
    const file = path.join(project, 'definitions/teams.ts');
    const source = await readFile(file, 'utf8');
    await rename(tsconfig, `${tsconfig}.away`);
    try {
      expect(await run(project, 'npx', 'monforge', 'check')).toMatchObject({ code: 0, stdout: 'check passed\n' });
      await writeFile(file, source.replace("critical: ['pager', 'slack']", "critical: ['pagr', 'slack']"));
      const check = await run(project, 'npx', 'monforge', 'check');
      expect(check.code).toBe(1);
      expect(check.stderr.split('\n')[0]).toBe('the definitions do not type-check (tsc) [check/type-errors]');
      expect(check.stderr).toMatch(/^definitions\/teams\.ts\(\d+,\d+\): error TS\d+: .*pagr/m);
      await writeFile(file, source);
      await writeFile(tsconfig, '{ "compilerOptions": ');
      const broken = await run(project, 'npx', 'monforge', 'check');
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/^tsconfig\.json\(\d+,\d+\): error TS\d+/m);
      expect(broken.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await writeFile(file, source);
      await rename(`${tsconfig}.away`, tsconfig);
    }
  }, 60_000);

  it('loads definitions in "module", "commonjs" and untyped packages, from .ts and .mts files', async () => {
    const manifest = path.join(project, 'package.json');
    const original = await readFile(manifest, 'utf8');
    // A definitions file importing another with types: in a package that is not "type": "module"
    // tsx would take the importer for CommonJS and require the other uncompiled.
    const typed = ['definitions/typed-helper.ts', 'definitions/typed-user.ts'].map((file) => path.join(project, file));
    await writeFile(typed[0]!, 'export const answer: number = 42;\n');
    await writeFile(typed[1]!, "import { answer } from './typed-helper.ts';\n\nexport const doubled: number = answer * 2;\n");
    try {
      for (const type of ['module', undefined]) {
        await writeFile(manifest, JSON.stringify({ ...JSON.parse(original), type }));
        expect(await run(project, 'npx', 'monforge', 'generate', '--check')).toMatchObject({
          code: 0,
          stdout: expect.stringMatching(/^generated\/ is up to date: \d+ files/),
        });
      }
      await writeFile(manifest, original);
      await rename(path.join(project, 'definitions/playbooks.ts'), path.join(project, 'definitions/playbooks.mts'));
      expect(await run(project, 'npx', 'monforge', 'generate')).toMatchObject({ code: 0 });
      expect(await readFile(path.join(project, 'generated/remediation/playbooks.json'), 'utf8')).toContain('definitions/playbooks.mts');
    } finally {
      await writeFile(manifest, original);
      for (const file of typed) await rm(file, { force: true });
      await rename(path.join(project, 'definitions/playbooks.mts'), path.join(project, 'definitions/playbooks.ts')).catch(() => {});
      await ok(project, 'npx', 'monforge', 'generate');
    }
  }, 60_000);

  it('exports type-check with moduleResolution nodenext and bundler, and monforge/instrument runs in plain Node', async () => {
    await ok(project, 'mkdir', '-p', 'probe');
    await writeFile(
      path.join(project, 'probe/exports.ts'),
      [
        "import { counter, select } from 'monforge';",
        "import { instrument } from 'monforge/instrument';",
        "const jobs = counter({ name: 'jobs_total', help: 'Jobs.', labels: ['queue'] });",
        "select(jobs, { queue: 'mail' });",
        '// @ts-expect-error an unknown label does not compile (the declarations are real types, not any)',
        "select(jobs, { queues: 'mail' });",
        "instrument({ jobs }).jobs.inc({ queue: 'mail' });",
        '',
      ].join('\n'),
    );
    for (const [module, moduleResolution] of [
      ['nodenext', 'nodenext'],
      ['preserve', 'bundler'],
    ]) {
      const config = `probe/tsconfig.${moduleResolution}.json`;
      const compilerOptions = { module, moduleResolution, strict: true, noEmit: true, skipLibCheck: false, types: [] };
      await writeFile(path.join(project, config), JSON.stringify({ compilerOptions, files: ['exports.ts'] }));
      expect(await run(project, 'npx', 'tsc', '-p', config), moduleResolution).toMatchObject({ code: 0, stdout: '' });
    }
    const script = [
      "import { counter } from 'monforge';",
      "import { instrument } from 'monforge/instrument';",
      "const metrics = instrument({ jobs: counter({ name: 'jobs_total', help: 'Jobs.', labels: ['queue'] }) });",
      "metrics.jobs.inc({ queue: 'mail' });",
      'process.stdout.write(await metrics.registry.metrics());',
    ].join('\n');
    expect(await ok(project, 'node', '--input-type=module', '-e', script)).toContain('jobs_total{queue="mail"} 1');
  }, 60_000);
});
