import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceFile, writeProject } from '../../scripts/bench-check/project.ts';
import { monforge, repoRoot } from '../helpers/index.ts';

// `generate --watch` through the real bin on a project of three services that share a metrics
// file, with a policy: after each kind of edit the watcher writes exactly what a fresh
// `generate` writes (a separate `generate --check` run finds no drift), and it compiles again
// only the services the edit can change: its own for a service file changed or added, none for
// the teams or a file removed, every one for the config, a policy, or a file they all import (a
// stale module would miss the error it causes). Invalid definitions leave generated/ alone.

let root: string;
let child: ChildProcess;
let stdout = '';
let stderr = '';

/** Resolves once `stream` has printed `count` lines matching `pattern` (a minute at most). */
async function printed(stream: () => string, pattern: RegExp, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((stream().match(new RegExp(pattern.source, 'gm')) ?? []).length < count) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} (${count}) in:\n${stream()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const written = /^generated\/ written: \d+ files? changed(?:, \d+ removed)?, (\d+) of (\d+) services? compiled, in \d+ ms$/;
let rebuilds = 0;

/** Saves `file` (relative to the root) and waits for the rebuild: how many services it compiled, of how many. */
async function save(file: string, text: string): Promise<string> {
  await writeFile(path.join(root, file), text);
  return rebuilt();
}

async function rebuilt(): Promise<string> {
  rebuilds += 1;
  await printed(() => stdout, written, rebuilds);
  const [, compiled, of] = [...stdout.matchAll(new RegExp(written.source, 'gm'))][rebuilds - 1]!;
  return `${compiled} of ${of}`;
}

/** A fresh `generate --check` of the same definitions: exit 0 when the watcher's tree is byte for byte what it would write. */
async function freshGenerateAgrees(): Promise<void> {
  const fresh = await monforge(root, 'generate', '--check', '--root', root);
  expect(fresh.stderr).toBe('');
  expect(fresh.code).toBe(0);
}

const rules = (name: string) => readFile(path.join(root, `generated/prometheus/rules/${name}.rules.yml`), 'utf8');
const read = (file: string) => readFile(path.join(root, file), 'utf8');

const policies = (warning: number) => `import { definePolicy } from 'monforge';

export const liveness = definePolicy({ name: 'liveness', liveness: { levels: { warning: ${warning}, critical: 50 }, for: '5m' } });
`;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'monforge-watch-'));
  await writeProject(root, 3);
  await writeFile(path.join(root, 'definitions/policies.ts'), policies(10));
  child = spawn(process.execPath, [path.join(repoRoot, 'bin/monforge.js'), 'generate', '--watch', '--root', root], { cwd: root });
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  expect(await rebuilt()).toBe('3 of 3');
}, 90_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

describe('generate --watch', () => {
  it('compiles a changed service alone and writes what generate writes, the other files linked from before', async () => {
    const untouched = await stat(path.join(root, 'generated/prometheus/rules/svc-0000.rules.yml'));
    expect(await rules('svc-0001')).toContain(') > 1\n');
    expect(await save('definitions/services/svc-0001.ts', serviceFile(1, 1))).toBe('1 of 3');
    expect(await rules('svc-0001')).toContain(') > 2\n');
    expect((await stat(path.join(root, 'generated/prometheus/rules/svc-0000.rules.yml'))).ino).toBe(untouched.ino);
    await freshGenerateAgrees();
  }, 90_000);

  it("renders the health score's files again when a service's alert severities change, not its levels", async () => {
    const health = () => read('generated/prometheus/tests/platform-health.test.yml');
    const before = await health();
    expect(await save('definitions/services/svc-0001.ts', serviceFile(1))).toBe('1 of 3');
    expect(await health()).toBe(before);
    const fewer = serviceFile(1).replace(/, critical: \d+ \}/, ' }');
    expect(fewer).not.toBe(serviceFile(1));
    expect(await save('definitions/services/svc-0001.ts', fewer)).toBe('1 of 3');
    expect(await health()).not.toBe(before);
    await freshGenerateAgrees();
  }, 90_000);

  it('compiles no service when the teams change, and writes the routing anew', async () => {
    const teams = await read('definitions/teams.ts');
    expect(await save('definitions/teams.ts', teams.replace("'#team-1-alerts'", "'#team-1-pages'"))).toBe('0 of 3');
    expect(await read('generated/alertmanager/alertmanager.yml')).toContain('#team-1-pages');
    await freshGenerateAgrees();
  }, 90_000);

  it('compiles every service when the config or a policy changes', async () => {
    const platform = await read('definitions/platform.ts');
    expect(await save('definitions/platform.ts', platform.replace('https://runbooks.example.com/', 'https://wiki.example.com/run/'))).toBe(
      '3 of 3',
    );
    expect(await rules('svc-0002')).toContain('https://wiki.example.com/run/');
    await freshGenerateAgrees();
    expect(await save('definitions/policies.ts', policies(20))).toBe('3 of 3');
    await freshGenerateAgrees();
  }, 90_000);

  it('compiles an added service alone, and none when one is removed', async () => {
    expect(await save('definitions/services/svc-0003.ts', serviceFile(3))).toBe('1 of 4');
    await freshGenerateAgrees();
    await unlink(path.join(root, 'definitions/services/svc-0003.ts'));
    expect(await rebuilt()).toBe('0 of 3');
    expect(stdout).toMatch(/, \d+ removed, 0 of 3 services compiled/);
    await freshGenerateAgrees();
  }, 90_000);

  it('imports every file afresh when a file they share changes, and leaves generated/ as it was when invalid', async () => {
    const metrics = path.join(root, 'definitions/metrics.ts');
    const text = await readFile(metrics, 'utf8');
    const before = await rules('svc-0000');
    await writeFile(metrics, text.replace("name: 'http_requests_total'", "name: 'http_requests'"));
    await printed(() => stderr, /^generated\/ left as it was$/, 1);
    expect(stderr).toContain('counter http_requests must end in _total');
    expect(await rules('svc-0000')).toBe(before);
    expect(await save('definitions/metrics.ts', text.replace("help: 'HTTP requests served", "help: 'Requests served"))).toBe('3 of 3');
    await freshGenerateAgrees();
  }, 90_000);

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
