import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlaybook } from '../../src/index.ts';
import { alert, payload, postAlerts, scratch, until, writeInputs } from './harness.ts';

const child = path.resolve(import.meta.dirname, 'children/gc-receiver.ts');

// Every external call of a run against servers that accept the request and never answer.
describe('deadlines under garbage collection', () => {
  const hanging: Server = createServer(() => {});
  let base: string;
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    ({ dir, cleanup } = await scratch());
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    hanging.close();
    await cleanup();
  });

  it('fire for verify polls, http actions and escalations while collections run every 10 ms', async () => {
    const call = definePlaybook({
      name: 'call',
      match: { alertname: 'ApiDown' },
      actions: [{ kind: 'http', name: 'restart', url: `${base}/restart`, timeout: '1s', retries: 1, backoff: '100ms' }],
    });
    const check = definePlaybook({
      name: 'check',
      match: { alertname: 'ApiDown' },
      actions: [{ kind: 'log', name: 'note', message: 'checking' }],
      verify: { query: 'up == 1', within: '2s', interval: '1s' },
      onFailure: { escalate: false },
    });
    const inputs = await writeInputs(dir, [call, check]);
    const options = {
      ...inputs,
      host: '127.0.0.1',
      port: 0,
      dryRun: false,
      stateDir: path.join(dir, 'state'),
      prometheus: base,
      alertmanager: base,
      queueSize: 10,
      concurrency: 4,
      shutdownTimeoutMs: 1000,
      limits: { escalationTimeoutMs: 1000, escalationAttempts: 2 },
    };
    const receiver = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    receiver.stdout.on('data', (chunk) => (output += chunk));
    receiver.stderr.on('data', (chunk) => (output += chunk));
    const logs = () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    try {
      await until(
        () => logs().some((line) => line.msg === 'listening'),
        30_000,
        () => output,
      );
      const url = String(logs().find((line) => line.msg === 'listening')!.url);
      expect((await postAlerts(url, payload([alert({ alertname: 'ApiDown', service: 'api' })]))).status).toBe(202);
      const started = Date.now();
      await until(
        () => logs().filter((line) => line.msg === 'run failed').length === 2,
        20_000,
        () => `runs still pending after ${Math.round((Date.now() - started) / 1000)} s:\n${output}`,
      );
      const steps = logs()
        .filter((line) => ['action', 'verify', 'escalation'].some((step) => String(line.msg).startsWith(`${step} `)))
        .map((line) => `${line.playbook} ${line.action} ${line.outcome}: ${line.detail ?? ''}`)
        .sort();
      expect(steps).toEqual([
        'call RemediationFailed failure: no answer within 1s (after 2 attempts)',
        'call restart timeout: no answer within 1s (attempt 2)',
        'check note success: ',
        expect.stringMatching(/^check verify failure: not true within 2s \(\d polls, last: error: no answer within \d+m?s\): up == 1$/),
      ]);
    } finally {
      receiver.kill('SIGKILL');
    }
  });
});
