import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Supervisor } from '../../scripts/stack/processes.ts';
import { definePlaybook } from '../../src/index.ts';
import {
  alert,
  jsonLines,
  payload,
  postAlerts,
  prometheusAndAlertmanager,
  receiverArgs,
  scratchPerSuite,
  spawnReceiver,
  until,
  writeInputs,
} from './harness.ts';

/** Fails at once, then two rollbacks of 8 s that ignore SIGTERM, then the escalation. */
const failover = definePlaybook({
  name: 'failover',
  match: { alertname: 'ApiDown' },
  allowExec: ['/bin/sh'],
  actions: [{ kind: 'exec', name: 'restart', argv: ['/bin/sh', '-c', 'exit 1'] }],
  onFailure: {
    rollback: ['first', 'second'].map((name) => ({
      kind: 'exec' as const,
      name,
      argv: ['/bin/sh', '-c', "trap '' TERM; sleep 8"] as ['/bin/sh', ...string[]],
      timeout: '10s' as const,
      killAfter: '1s' as const,
    })),
  },
  cooldown: '0s',
});

/** Fails at once, then escalates (to an Alertmanager that never answers). */
const page = definePlaybook({
  name: 'page',
  match: { alertname: 'ApiDown' },
  actions: [{ kind: 'log', name: 'try', message: 'trying' }],
  verify: { query: 'vector(0) > 0', within: '100ms', interval: '100ms' },
  cooldown: '0s',
});

describe('--shutdown-timeout', () => {
  const supervisor = new Supervisor();
  const scratchDir = scratchPerSuite();
  const hanging: Server = createServer(() => {}); // accepts, never answers
  let hangingUrl: string;
  // A real Alertmanager for the escalations sent after the restart; a real Prometheus for verify.
  let alertmanager: string;
  let prometheus: string;
  let dir: string;
  beforeAll(async () => {
    dir = scratchDir();
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    ({ prometheus, alertmanager } = await prometheusAndAlertmanager(supervisor, dir));
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    hanging.close();
    await supervisor.stop();
  });

  it('is a bound: interrupted steps are audited, unsent escalations are sent after the restart', async () => {
    const inputs = await writeInputs(dir, [failover, page]);
    const stateDir = path.join(dir, 'state');
    const args = (am: string) =>
      receiverArgs(inputs, stateDir, '--prometheus', prometheus, '--alertmanager', am, '--shutdown-timeout', '1s');
    const first = spawnReceiver(args(hangingUrl));
    try {
      const url = await first.listening();
      expect((await postAlerts(url, payload([alert({ alertname: 'ApiDown', service: 'api' })]))).status).toBe(202);
      // The first rollback runs; the escalation of "page" hangs.
      await until(
        () => first.logs().some((line) => line.msg === 'action failure') && first.logs().some((line) => line.msg === 'verify failure'),
        10_000,
        first.stdout,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const signalled = Date.now();
      first.child.kill('SIGTERM');
      const code = await Promise.race([first.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 6000))]);
      const took = Date.now() - signalled;
      expect(code).toBe(0);
      // --shutdown-timeout 1s + killAfter 1s + a second to flush and exit.
      expect(took).toBeLessThan(3500);
    } finally {
      first.child.kill('SIGKILL');
    }
    const audit = await jsonLines(path.join(stateDir, 'audit.jsonl'));
    expect(audit.map((entry) => `${entry.playbook} ${entry.step} ${entry.action} ${entry.outcome}: ${entry.detail ?? ''}`).sort()).toEqual([
      'failover action restart failure: exit code 1',
      'failover escalation RemediationFailed interrupted: not sent: shutting down (it is sent after the restart)',
      'failover rollback first interrupted: interrupted by shutdown; ended by SIGKILL',
      'failover rollback second interrupted: not started: shutting down',
      'page action try success: ',
      'page escalation RemediationFailed interrupted: interrupted by shutdown (it is sent after the restart)',
      expect.stringMatching(/^page verify verify failure: not true within 100ms/),
    ]);

    const second = spawnReceiver(args(alertmanager));
    try {
      await second.listening();
      await until(() => second.logs().filter((line) => line.msg === 'escalation success').length === 2, 15_000, second.stdout);
      const received: { labels: Record<string, string> }[] = await (
        await fetch(`${alertmanager}/api/v2/alerts?filter=alertname%3D%22RemediationFailed%22`)
      ).json();
      expect(received.map((each) => each.labels.playbook).sort()).toEqual(['failover', 'page']);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      second.child.kill('SIGKILL');
    }
    const after = await jsonLines(path.join(stateDir, 'audit.jsonl'));
    expect(
      after
        .slice(audit.length)
        .map((entry) => `${entry.playbook} ${entry.step} ${entry.outcome}`)
        .sort(),
    ).toEqual(['failover escalation success', 'page escalation success']);
  });
});
