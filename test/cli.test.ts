import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/stack/processes.ts';
import { allCommands } from '../src/cli.ts';
import { monforge, monforgeInProcess, repoRoot, runProgram, scratchCopy } from './helpers/index.ts';

// One scratch copy of the platform fixture for the whole file (tests restore what they change).
let root: string;
let cleanup: () => Promise<void>;
const commands = await allCommands();
beforeAll(async () => {
  ({ root, cleanup } = await scratchCopy('platform'));
});
afterAll(() => cleanup());

describe('monforge generate', () => {
  it('writes generated/ and then finds no drift', async () => {
    const counts = '17 files (23 alerts, 46 recording rules, 2 SLOs of 1 service)';
    await rm(path.join(root, 'generated'), { recursive: true, force: true });
    expect(await monforge(root, 'generate')).toMatchObject({
      code: 0,
      stdout: `generated/ written: ${counts}; 0 changed, 17 added, 0 removed, 0 unchanged\n`,
    });
    expect(await readFile(path.join(root, 'generated/prometheus/rules/api.rules.yml'), 'utf8')).toBe(
      await readFile(path.join(repoRoot, 'test/golden/api.rules.yml'), 'utf8'),
    );
    expect(await monforge(root, 'generate', '--check')).toMatchObject({ code: 0, stdout: `generated/ is up to date: ${counts}\n` });
    expect(await monforge(root, 'generate')).toMatchObject({
      stdout: `generated/ written: ${counts}; 0 changed, 0 added, 0 removed, 17 unchanged\n`,
    });
  });

  it('says what an edit changed', async () => {
    await monforge(root, 'generate');
    const definition = path.join(root, 'definitions/api.ts');
    const source = await readFile(definition, 'utf8');
    await writeFile(definition, source.replace('levels: { warning: 1, critical: 2 }', 'levels: { warning: 1, critical: 3 }'));
    await writeFile(path.join(root, 'generated/prometheus/rules/old.rules.yml'), 'groups: []\n');
    try {
      // The rules, their promtool tests and the dashboard that draws the level; the stray file goes.
      expect((await monforge(root, 'generate')).stdout).toBe(
        'generated/ written: 17 files (23 alerts, 46 recording rules, 2 SLOs of 1 service); 3 changed, 0 added, 1 removed, 14 unchanged\n',
      );
    } finally {
      await writeFile(definition, source);
      await monforge(root, 'generate');
    }
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

  it('keeps what it compiled in the cache (--cache-dir, or none with --no-cache) and writes the same files either way', async () => {
    const cache = path.join(os.tmpdir(), `monforge-generate-cache-${process.pid}`);
    await rm(path.join(root, 'node_modules'), { recursive: true, force: true });
    try {
      await rm(path.join(root, 'generated'), { recursive: true, force: true });
      const uncachedRun = await monforge(root, 'generate', '--no-cache');
      expect(uncachedRun.code).toBe(0);
      expect(await readdir(root)).not.toContain('node_modules');
      const uncached = await readFile(path.join(root, 'generated/prometheus/rules/api.rules.yml'), 'utf8');
      await rm(path.join(root, 'generated'), { recursive: true, force: true });
      expect((await monforge(root, 'generate', '--cache-dir', cache)).code).toBe(0);
      const [build, ...others] = await readdir(cache);
      expect(others).toEqual([]);
      expect((await readdir(path.join(cache, build!), { recursive: true })).length).toBeGreaterThan(0);
      // A file edited by hand is not what the cache says: the service is compiled and the file written again.
      await writeFile(path.join(root, 'generated/prometheus/rules/api.rules.yml'), 'groups: []\n');
      expect((await monforge(root, 'generate', '--cache-dir', cache)).stdout).toMatch(/; 1 changed, 0 added, 0 removed, 16 unchanged\n$/);
      expect(await readFile(path.join(root, 'generated/prometheus/rules/api.rules.yml'), 'utf8')).toBe(uncached);
      // Every service taken from generated/ unread: the summary counts what compiling counted.
      const counts = (stdout: string): string => stdout.replace(/;.*/s, '');
      const taken = await monforge(root, 'generate', '--cache-dir', cache);
      expect(taken.stdout).toMatch(/; 0 changed, 0 added, 0 removed, 17 unchanged\n$/);
      expect(counts(taken.stdout)).toBe(counts(uncachedRun.stdout));
      const both = await monforge(root, 'generate', '--no-cache', '--cache-dir', cache);
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/^--cache-dir and --no-cache exclude each other\n\nusage: monforge generate /);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
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
        'definitions/api.ts: service "api" › slo "latency" › threshold: 0.25 is not a bucket of http_request_duration_seconds (0.1, 0.2, 0.5, 1, 2, 5) [slos/threshold-not-bucket]\n1 error in the definitions\n',
      );
      expect(await readFile(path.join(root, 'generated/prometheus/rules/api.rules.yml'), 'utf8')).toBe(before);
    } finally {
      await writeFile(definition, source);
    }
  });

  it('check runs tsc, the PromQL parser and promtool and passes on valid definitions; again, it runs no validator on what passed', async () => {
    await monforge(root, 'generate');
    const cache = path.join(root, 'check-cache');
    const result = await monforge(root, 'check', '--cache-dir', cache);
    expect(result).toMatchObject({ code: 0, stdout: 'check passed\n' });
    // The validators behind wrappers that log each run: only their --version runs (part of every key).
    const log = path.join(root, 'runs.log');
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const tool of ['promtool', 'amtool']) {
      const wrapper = path.join(root, tool);
      await writeFile(wrapper, `#!/bin/sh\necho "${tool} $1 $2" >> '${log}'\nexec ${tool} "$@"\n`, { mode: 0o755 });
      env[`MONFORGE_${tool.toUpperCase()}`] = wrapper;
    }
    const again = await runProgram(process.execPath, [path.join(repoRoot, 'bin/monforge.js'), 'check', '--cache-dir', cache], {
      cwd: root,
      env,
    });
    expect(again).toMatchObject({ code: 0, stdout: 'check passed\n' });
    expect((await readFile(log, 'utf8')).split('\n').filter(Boolean).sort()).toEqual(['amtool --version ', 'promtool --version ']);
    await rm(log);
    // A hand edit of generated/ is stale: said once, with the file.
    const edited = path.join(root, 'generated/alertmanager/alertmanager.yml');
    const text = await readFile(edited, 'utf8');
    await writeFile(edited, `${text}# edited by hand\n`);
    const stale = await monforge(root, 'check', '--cache-dir', cache);
    expect(stale.code).toBe(1);
    expect(stale.stderr.split('\n').slice(0, 2)).toEqual([
      'generated/ is out of date [check/stale-generated]',
      'stale: alertmanager/alertmanager.yml',
    ]);
    await writeFile(edited, text);
    await rm(cache, { recursive: true });
  }, 240_000);

  it('check: --cache-dir with --no-cache, or a --changed-since revision that does not exist, is a usage error', async () => {
    const both = await monforge(root, 'check', '--no-cache', '--cache-dir', 'x');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^--cache-dir and --no-cache exclude each other\n\nusage: monforge check /);
    const unknown = await monforge(root, 'check', '--changed-since', 'no-such-revision');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^--changed-since: unknown revision "no-such-revision" in /);
  });
});

describe('usage', () => {
  it('exits 2 on an unknown command or option', async () => {
    expect((await monforge(repoRoot, 'frobnicate')).code).toBe(2);
    expect((await monforge(repoRoot, 'generate', '--chekc')).code).toBe(2);
    expect((await monforge(repoRoot)).code).toBe(2);
  });

  const inProcess = (...argv: string[]) => monforgeInProcess(repoRoot, ...argv);

  it('--help, -h and help list every command with its summary and exit 0; --version prints the package version', async () => {
    const overview = await inProcess('--help');
    expect(overview).toMatchObject({ code: 0, stderr: '' });
    expect(commands.map((command) => command.name)).toEqual([
      'init',
      'import',
      'generate',
      'check',
      'diff',
      'backtest',
      'apply',
      'coverage',
      'routes',
      'test-alert',
      'webhook',
    ]);
    for (const command of commands) expect(overview.stdout).toMatch(new RegExp(`^  ${command.name} +${command.summary.slice(0, 20)}`, 'm'));
    expect(await inProcess('-h')).toEqual(overview);
    expect(await inProcess('help')).toEqual(overview);
    const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(await inProcess('--version')).toEqual({ code: 0, stdout: `monforge ${manifest.version}\n`, stderr: '' });
  });

  it("<command> --help prints that command's usage only, every option with its line, and exits 0 for every command", async () => {
    for (const command of commands) {
      const help = await inProcess(command.name, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout.startsWith(`usage: monforge ${command.name}`)).toBe(true);
      for (const [name, option] of Object.entries(command.options)) {
        expect(help.stdout).toContain(`--${name}`);
        expect(help.stdout).toContain(option.description.split(' ').slice(0, 3).join(' '));
      }
      expect(help.stdout).toContain('--root DIR');
      for (const other of commands.filter((each) => each !== command)) expect(help.stdout).not.toContain(`usage: monforge ${other.name}`);
      expect(await inProcess(command.name, '-h')).toEqual(help);
      expect(await inProcess('help', command.name)).toEqual(help);
    }
  });

  it("a usage error prints the reason and that command's usage alone, and exits 2", async () => {
    const error = await inProcess('coverage', '--format', 'yaml');
    expect(error.code).toBe(2);
    expect(error.stdout).toBe('');
    expect(error.stderr).toBe(`--format must be one of markdown, json\n\n${(await inProcess('coverage', '--help')).stdout}`);
    const unknown = await inProcess('generate', '--chekc');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^Unknown option '--chekc'.*\n\nusage: monforge generate \[--check \| --watch\] \[--cache-dir DIR \| --no-cache\]\n/,
    );
    expect(unknown.stderr).not.toContain('usage: monforge diff');
  });
});

// Every command finds the project through --root, from any working directory.
describe('--root', () => {
  const elsewhere = os.tmpdir();

  it('generate, routes, test-alert and webhook read the project at --root', async () => {
    expect(await monforge(elsewhere, 'generate', '--root', root)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^generated\/ written: 17 files/),
    });
    expect(await monforge(elsewhere, 'generate', '--check', `--root=${root}`)).toMatchObject({ code: 0 });
    expect((await monforge(elsewhere, 'routes', '--root', root)).stdout).toMatch(/^root → /);
    const port = await freePort();
    const alert = await monforge(
      elsewhere,
      'test-alert',
      '--root',
      root,
      '--alertmanager',
      `http://127.0.0.1:${port}`,
      '--like',
      'ApiDown',
    );
    expect(alert).toMatchObject({ code: 1, stdout: expect.stringContaining(`cannot reach Alertmanager at http://127.0.0.1:${port}`) });
    // This platform has no playbooks: the receiver looks for them under --root.
    const webhook = await monforge(elsewhere, 'webhook', '--root', root, '--token-file', 'token');
    expect(webhook).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`cannot read playbooks from ${path.join(root, 'generated/remediation/playbooks.json')}`),
    });
  });

  it("definitions compile with the project's tsconfig (its path aliases), not the working directory's", async () => {
    const project = await scratchCopy('platform');
    try {
      await mkdir(path.join(project.root, 'lib'));
      await writeFile(path.join(project.root, 'lib/runbooks.ts'), "export const runbookBaseUrl = 'https://runbooks.example.com/';\n");
      const tsconfig = {
        extends: '../../../tsconfig.json',
        compilerOptions: { paths: { '@lib/*': ['./lib/*'] } },
        include: ['definitions', 'lib'],
      };
      await writeFile(path.join(project.root, 'tsconfig.json'), JSON.stringify(tsconfig));
      const platform = path.join(project.root, 'definitions/platform.ts');
      const text = (await readFile(platform, 'utf8')).replace("{ runbookBaseUrl: 'https://runbooks.example.com/' }", '{ runbookBaseUrl }');
      await writeFile(platform, `import { runbookBaseUrl } from '@lib/runbooks.ts';\n${text}`);
      expect(await monforge(elsewhere, 'generate', '--root', project.root)).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^generated\/ written: /),
      });
      expect(await readFile(path.join(project.root, 'generated/prometheus/rules/api.rules.yml'), 'utf8')).toContain(
        'runbook_url: https://runbooks.example.com/',
      );
    } finally {
      await project.cleanup();
    }
  });

  it('check names the missing validators in one line that says how to get them', async () => {
    await monforge(root, 'generate');
    const result = await runProgram(process.execPath, [path.join(repoRoot, 'bin/monforge.js'), 'check', '--root', root], {
      cwd: elsewhere,
      env: { ...process.env, MONFORGE_PROMTOOL: '/nonexistent/promtool', MONFORGE_AMTOOL: '/nonexistent/amtool' },
    });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `${'promtool and amtool not found: install the Debian/Ubuntu packages (`sudo apt-get install prometheus prometheus-alertmanager`), put them on PATH, or set MONFORGE_PROMTOOL / MONFORGE_AMTOOL [check/missing-tools]'}\n`,
    });
  }, 120_000);

  it('a folder without definitions is one line saying what to do; --root without a value is a usage error', async () => {
    const missing = path.join(elsewhere, 'monforge-no-such-project');
    expect(await monforge(elsewhere, 'generate', '--root', missing)).toEqual({
      code: 1,
      stdout: '',
      stderr: `definitions: no definition files (*.ts, *.mts) in ${missing}/definitions: run \`npx monforge init\`, or pass --root DIR [definitions/none]\n1 error in the definitions\n`,
    });
    expect((await monforge(elsewhere, 'check', '--root')).code).toBe(2);
  });
});
