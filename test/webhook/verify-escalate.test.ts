import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Supervisor } from '../../scripts/stack/processes.ts';
import { definePlaybook } from '../../src/index.ts';
import { alert, payload, prometheusAndAlertmanager, scratchPerSuite, startReceiver, until } from './harness.ts';

// A real Prometheus to verify against and a real Alertmanager (0.25) to escalate to.
describe('verify, rollback and escalation', () => {
  const supervisor = new Supervisor();
  const scratchDir = scratchPerSuite();
  let prometheus: string;
  let alertmanager: string;
  let dir: string;
  beforeAll(async () => {
    dir = scratchDir();
    ({ prometheus, alertmanager } = await prometheusAndAlertmanager(supervisor, dir));
  });
  afterAll(() => supervisor.stop());

  const labels = { alertname: 'ApiResponseTimeHigh', service: 'api"\\x', severity: 'critical', team: 'platform', instance: 'a:1' };
  const playbook = (name: string, query: string) =>
    definePlaybook({
      name,
      match: { alertname: 'ApiResponseTimeHigh' },
      actions: [{ kind: 'log', name: 'scale-up', message: 'scaling {{ $labels.service }}' }],
      // The label value, quotes and backslash included, must reach Prometheus as a string.
      verify: { query: `label_replace(${query}, "svc", "{{ $labels.service }}", "", "")`, within: '2s', interval: '500ms' },
      onFailure: { rollback: [{ kind: 'log', name: 'scale-down', message: 'undo' }] },
    });

  it('finishes as remediated when the verification query becomes true', async () => {
    const receiver = await startReceiver(path.join(dir, 'ok'), [playbook('improves', 'vector(1) > 0')], { prometheus, alertmanager });
    try {
      await receiver.post(payload([alert(labels)]));
      expect((await receiver.runs(1))[0]).toMatchObject({ msg: 'run remediated' });
      expect((await receiver.audit()).map((entry) => [entry.step, entry.action, entry.outcome, entry.detail])).toEqual([
        ['action', 'scale-up', 'success', undefined],
        ['verify', 'verify', 'success', 'true after 1 poll'],
      ]);
    } finally {
      await receiver.shutdown();
    }
  });

  it('says on a dry run the query it would poll, as the alert makes it', async () => {
    const receiver = await startReceiver(path.join(dir, 'dry'), [playbook('dry', 'vector(1) > 0')], { dryRun: true });
    try {
      await receiver.post(payload([alert(labels)]));
      expect((await receiver.runs(1))[0]).toMatchObject({ msg: 'run dry-run' });
      expect((await receiver.audit()).map((entry) => [entry.step, entry.outcome, entry.detail])).toEqual([
        ['action', 'dry-run', `would log ${JSON.stringify(`scaling ${labels.service}`)}`],
        // The service's quote and backslash escaped as in a PromQL string.
        ['verify', 'dry-run', String.raw`would poll label_replace(vector(1) > 0, "svc", "api\"\\x", "", "") for 2s`],
      ]);
    } finally {
      await receiver.shutdown();
    }
  });

  it('rolls back and posts RemediationFailed with the original labels when verification fails', async () => {
    const receiver = await startReceiver(path.join(dir, 'fail'), [playbook('stays-slow', 'vector(0) > 0')], { prometheus, alertmanager });
    try {
      await receiver.post(payload([alert(labels)]));
      expect((await receiver.runs(1))[0]).toMatchObject({ msg: 'run failed' });
      expect((await receiver.audit()).map((entry) => [entry.step, entry.action, entry.outcome])).toEqual([
        ['action', 'scale-up', 'success'],
        ['verify', 'verify', 'failure'],
        ['rollback', 'scale-down', 'success'],
        ['escalation', 'RemediationFailed', 'success'],
      ]);
      let received: { labels: Record<string, string>; annotations: Record<string, string> }[] = [];
      await until(
        async () => {
          received = await (await fetch(`${alertmanager}/api/v2/alerts?filter=alertname%3D%22RemediationFailed%22`)).json();
          return received.length > 0;
        },
        10_000,
        () => 'no RemediationFailed alert in Alertmanager',
      );
      expect(received[0]!.labels).toEqual({
        ...labels,
        alertname: 'RemediationFailed',
        remediated_alertname: 'ApiResponseTimeHigh',
        playbook: 'stays-slow',
        severity: 'critical',
      });
      expect(received[0]!.annotations.summary).toBe('Automated remediation "stays-slow" failed for ApiResponseTimeHigh');
      expect(received[0]!.annotations.description).toMatch(/^verification failed: not true within 2s \(\d+ polls, last: empty result\)/);
    } finally {
      await receiver.shutdown();
    }
  });
});
