import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { definePlaybook } from '../../src/index.ts';
import {
  alert,
  jsonLines,
  payload,
  postAlerts,
  receiverArgs,
  scratchPerSuite,
  spawnReceiver as run,
  writeInputs,
} from '../webhook/harness.ts';

describe('monforge webhook', () => {
  const scratchDir = scratchPerSuite();

  it('on SIGTERM stops accepting, lets the running action finish, flushes the audit log and exits 0', async () => {
    const slow = definePlaybook({
      name: 'slow',
      match: { alertname: 'ApiDown' },
      allowExec: ['/bin/sh'],
      actions: [{ kind: 'exec', name: 'work', argv: ['/bin/sh', '-c', 'sleep 1; echo finished'] }],
      onFailure: { escalate: false },
    });
    const inputs = await writeInputs(path.join(scratchDir(), 'term'), [slow]);
    const stateDir = path.join(scratchDir(), 'term', 'state');
    const receiver = run(receiverArgs(inputs, stateDir));
    const url = await receiver.listening();
    expect((await postAlerts(url, payload([alert({ alertname: 'ApiDown', service: 'api' })]))).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the action is running
    receiver.child.kill('SIGTERM');
    expect(await receiver.exited).toBe(0);
    expect(await jsonLines(path.join(stateDir, 'audit.jsonl'))).toMatchObject([
      { playbook: 'slow', action: 'work', outcome: 'success', stdout: 'finished\n' },
    ]);
    const logs = receiver
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).msg);
    expect(logs.slice(-3)).toEqual(['action success', 'run remediated', 'stopped']);
    expect(logs).toContain('SIGTERM: shutting down');
  });

  it('refuses to start on a bad playbooks file (exit 1) and on bad arguments (exit 2)', async () => {
    const inputs = await writeInputs(path.join(scratchDir(), 'bad'), [
      definePlaybook({ name: 'note', match: { alertname: 'ApiDown' }, actions: [{ kind: 'log', name: 'say', message: 'hi' }] }),
    ]);
    const { playbooksFile } = inputs;
    const stateDir = path.join(scratchDir(), 'bad', 'state');
    const edited = JSON.parse(await readFile(playbooksFile, 'utf8'));
    edited.playbooks[0].cooldown = '15 minutes';
    edited.playbooks[0].actions[0].message = '{{ .Labels.service }}';
    await writeFile(playbooksFile, JSON.stringify(edited));
    const bad = run(receiverArgs(inputs, stateDir));
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toBe(
      `monforge webhook: invalid playbooks file (run \`npx monforge generate\`):\n${playbooksFile}: playbook "note" › cooldown: "15 minutes" is not a duration like "10s" or "5m"\n`,
    );
    edited.playbooks[0].cooldown = '15m';
    await writeFile(playbooksFile, JSON.stringify(edited));
    const template = run(receiverArgs(inputs, stateDir));
    expect(await template.exited).toBe(1);
    expect(template.stderr()).toContain(
      `${playbooksFile}: playbook "note" › action "say" › message: unsupported template {{ .Labels.service }}: only {{ $labels.<name> }} is allowed\n`,
    );
    // A hand-edited file whose URL lets a label choose the host its Authorization header goes to.
    edited.playbooks[0].actions[0] = {
      kind: 'http',
      name: 'call',
      method: 'POST',
      url: 'http://{{ $labels.instance }}/restart',
      headers: { Authorization: { env: 'API_TOKEN', prefix: 'Bearer ' } },
      timeout: '10s',
      retries: 0,
      backoff: '1s',
    };
    await writeFile(playbooksFile, JSON.stringify(edited));
    const host = run(receiverArgs(inputs, stateDir));
    expect(await host.exited).toBe(1);
    expect(host.stderr()).toBe(
      `monforge webhook: invalid playbooks file (run \`npx monforge generate\`):\n${playbooksFile}: playbook "note" › action "call" › url: "http://{{ $labels.instance }}/restart" takes its host or port from a label: only the path and query may be templated (a label must not choose where the request and its headers go)\n`,
    );
    const usage = run(['--token-file', 'x', '--listen', 'nowhere']);
    expect(await usage.exited).toBe(2);
    expect(usage.stderr()).toMatch(/^--listen must be HOST:PORT, got "nowhere"\n/);
    const disk = run(['--token-file', 'x', '--disk-timeout', '0s']);
    expect(await disk.exited).toBe(2);
    expect(disk.stderr()).toMatch(/^--disk-timeout must be a duration like 2s\n/);
  });
});
