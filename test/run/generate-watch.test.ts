import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceFile, writeProject } from '../../scripts/bench-check/project.ts';
import { repoRoot } from '../helpers/index.ts';

// `generate --watch` through the real bin on a project of two services that share a metrics
// file: a service edit imports that file again, a shared edit imports everything afresh (a stale
// module would miss the error it causes), invalid definitions leave generated/ alone.

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

const rules = (name: string) => readFile(path.join(root, `generated/prometheus/rules/${name}.rules.yml`), 'utf8');
const written = /^generated\/ written: \d+ files changed in \d+ ms$/;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'monforge-watch-'));
  await writeProject(root, 2);
  child = spawn(process.execPath, [path.join(repoRoot, 'bin/monforge.js'), 'generate', '--watch', '--root', root], { cwd: root });
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await printed(() => stdout, written, 1);
}, 90_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

describe('generate --watch', () => {
  it('writes generated/ again when a service changes: its own files, the rest linked from before', async () => {
    const untouched = await stat(path.join(root, 'generated/prometheus/rules/svc-0000.rules.yml'));
    expect(await rules('svc-0001')).toContain(') > 1\n');
    await writeFile(path.join(root, 'definitions/services/svc-0001.ts'), serviceFile(1, 1));
    await printed(() => stdout, written, 2);
    expect(await rules('svc-0001')).toContain(') > 2\n');
    expect((await stat(path.join(root, 'generated/prometheus/rules/svc-0000.rules.yml'))).ino).toBe(untouched.ino);
  }, 90_000);

  it('imports every file afresh when a file they share changes, and leaves generated/ as it was when invalid', async () => {
    const metrics = path.join(root, 'definitions/metrics.ts');
    const text = await readFile(metrics, 'utf8');
    const before = await rules('svc-0000');
    await writeFile(metrics, text.replace("name: 'http_requests_total'", "name: 'http_requests'"));
    await printed(() => stderr, /^generated\/ left as it was$/, 1);
    expect(stderr).toContain('counter http_requests must end in _total');
    expect(await rules('svc-0000')).toBe(before);
    await writeFile(metrics, text);
    await printed(() => stdout, written, 3);
  }, 90_000);

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
