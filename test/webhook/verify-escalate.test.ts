import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, Supervisor, waitForHttp } from '../../scripts/stack/processes.ts';
import { definePlaybook } from '../../src/index.ts';
import { alert, payload, scratch, startReceiver, until } from './harness.ts';

// A real Prometheus to verify against and a real Alertmanager (0.25) to escalate to.
describe('verify, rollback and escalation', () => {
  const supervisor = new Supervisor();
  let prometheus: string;
  let alertmanager: string;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await scratch());
    for (const sub of ['prometheus', 'alertmanager']) await mkdir(path.join(dir, sub));
    await writeFile(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n');
    await writeFile(path.join(dir, 'alertmanager.yml'), 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n');
    const [promPort, amPort] = [await freePort(), await freePort()];
    prometheus = `http://127.0.0.1:${promPort}`;
    alertmanager = `http://127.0.0.1:${amPort}`;
    const prom = supervisor.start('prometheus', 'prometheus', [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'prometheus')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    const am = supervisor.start('alertmanager', 'prometheus-alertmanager', [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'alertmanager')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ]);
    await Promise.all([waitForHttp(`${prometheus}/-/ready`, prom), waitForHttp(`${alertmanager}/-/ready`, am)]);
  });
  afterAll(async () => {
    await supervisor.stop();
    await cleanup();
  });

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
