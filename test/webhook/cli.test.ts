import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/processes.ts';
import { definePlaybook } from '../../src/index.ts';
import { alert, payload, scratch, token, until, writeInputs } from './harness.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/monforge.js');

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, 'webhook', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('monforge webhook', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await scratch()));
  afterAll(() => cleanup());

  it('on SIGTERM stops accepting, lets the running action finish, flushes the audit log and exits 0', async () => {
    const slow = definePlaybook({
      name: 'slow',
      match: { alertname: 'ApiDown' },
      allowExec: ['/bin/sh'],
      actions: [{ kind: 'exec', name: 'work', argv: ['/bin/sh', '-c', 'sleep 1; echo finished'] }],
      onFailure: { escalate: false },
    });
    const { playbooksFile, tokenFile } = await writeInputs(path.join(dir, 'term'), [slow]);
    const port = await freePort();
    const stateDir = path.join(dir, 'term', 'state');
    const receiver = run([
      '--playbooks',
      playbooksFile,
      '--token-file',
      tokenFile,
      '--listen',
      `127.0.0.1:${port}`,
      '--state-dir',
      stateDir,
    ]);
    await until(
      () => receiver.stdout().includes('"msg":"listening"'),
      20_000,
      () => receiver.stdout() + receiver.stderr(),
    );
    const response = await fetch(`http://127.0.0.1:${port}/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload([alert({ alertname: 'ApiDown', service: 'api' })])),
    });
    expect(response.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the action is running
    receiver.child.kill('SIGTERM');
    expect(await receiver.exited).toBe(0);
    const audit = (await readFile(path.join(stateDir, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(audit).toMatchObject([{ playbook: 'slow', action: 'work', outcome: 'success', stdout: 'finished\n' }]);
    const logs = receiver
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).msg);
    expect(logs.slice(-3)).toEqual(['action success', 'run remediated', 'stopped']);
    expect(logs).toContain('SIGTERM: shutting down');
  });

  it('refuses to start on a bad playbooks file (exit 1) and on bad arguments (exit 2)', async () => {
    const { playbooksFile, tokenFile } = await writeInputs(path.join(dir, 'bad'), [
      definePlaybook({ name: 'note', match: { alertname: 'ApiDown' }, actions: [{ kind: 'log', name: 'say', message: 'hi' }] }),
    ]);
    const edited = JSON.parse(await readFile(playbooksFile, 'utf8'));
    edited.playbooks[0].cooldown = '15 minutes';
    edited.playbooks[0].actions[0].message = '{{ .Labels.service }}';
    await writeFile(playbooksFile, JSON.stringify(edited));
    const bad = run([
      '--playbooks',
      playbooksFile,
      '--token-file',
      tokenFile,
      '--listen',
      '127.0.0.1:0',
      '--state-dir',
      path.join(dir, 'bad', 'state'),
    ]);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toBe(
      `monforge webhook: invalid playbooks file (run \`npx monforge generate\`):\n${playbooksFile}: playbook "note" › cooldown: "15 minutes" is not a duration like "10s" or "5m"\n`,
    );
    edited.playbooks[0].cooldown = '15m';
    await writeFile(playbooksFile, JSON.stringify(edited));
    const template = run([
      '--playbooks',
      playbooksFile,
      '--token-file',
      tokenFile,
      '--listen',
      '127.0.0.1:0',
      '--state-dir',
      path.join(dir, 'bad', 'state'),
    ]);
    expect(await template.exited).toBe(1);
    expect(template.stderr()).toContain(
      `${playbooksFile}: playbook "note" › action "say" › message: unsupported template {{ .Labels.service }}: only {{ $labels.<name> }} is allowed\n`,
    );
    const usage = run(['--token-file', 'x', '--listen', 'nowhere']);
    expect(await usage.exited).toBe(2);
    expect(usage.stderr()).toMatch(/^--listen must be HOST:PORT, got "nowhere"\n/);
  });
});
