import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/index.ts';
import { loadPlatform } from '../../src/load/load.ts';
import type { Platform } from '../../src/model/platform.ts';
import { writeFileSet } from '../../src/output/write.ts';
import type { Notification } from '../../scripts/stack/capture.ts';
import { freePort } from '../../scripts/stack/processes.ts';
import { startStack, type Stack } from '../../scripts/stack/stack.ts';
import { fixtureRoot } from '../helpers/index.ts';

// The whole path on real servers: fault → Prometheus alert → Alertmanager → receivers and the
// remediation receiver → playbook → demo restart → verify → resolved; a fault remediation
// cannot clear → RemediationFailed pages; a dependency's outage inhibits its dependents.

let stack: Stack;
let platform: Platform;
let dir: string;
const failures: string[] = [];

async function query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${stack.prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await response.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data.result;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
}

const firingIn = async (alertname: string): Promise<boolean> => {
  const response = await fetch(`${stack.prometheus}/api/v1/alerts`);
  const body = (await response.json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
  return body.data.alerts.some((alert) => alert.labels.alertname === alertname && alert.state === 'firing');
};

const fault = async (service: string, body: object): Promise<void> => {
  const response = await fetch(`${stack.demo.url}/control/${service}`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(204);
};

const about =
  (receiver: string, alertname: string, status: 'firing' | 'resolved', after: number) =>
  (notification: Notification): boolean =>
    notification.receiver === receiver &&
    notification.receivedAt >= after &&
    notification.status === status &&
    notification.alerts.some((alert) => alert.labels.alertname === alertname);

beforeAll(async () => {
  const demoPort = await freePort();
  process.env.MONFORGE_E2E_DEMO_URL = `http://127.0.0.1:${demoPort}`;
  platform = await loadPlatform(fixtureRoot('e2e'));
  dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-e2e-'));
  await writeFileSet(path.join(dir, 'generated'), compile(platform));
  stack = await startStack({
    platform,
    generatedDir: path.join(dir, 'generated'),
    services: ['api', 'database'],
    intervalSeconds: 2,
    ports: { demo: demoPort },
    onFailure: (child, code) => failures.push(`${child.name} exited (${code}): ${child.output()}`),
  });
  // Rates need two scrapes of traffic before anything can be judged.
  await until('traffic in Prometheus', 30_000, async () =>
    (await query('sum(rate(http_requests_total{job="api"}[20s]))')).length > 0 ? true : undefined,
  );
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  expect(failures).toEqual([]);
});

describe('end to end', () => {
  it('detects an outage, notifies, remediates, verifies and resolves', async () => {
    const injected = Date.now();
    await fault('api', { errorRatio: 1 });
    await until('ApiDown firing in Prometheus', 30_000, async () => ((await firingIn('ApiDown')) ? true : undefined));
    const first = await stack.capture.waitFor(
      about('platform-critical', 'ApiDown', 'firing', injected),
      30_000,
      'of ApiDown to platform-critical',
    );
    const detection = (first.receivedAt - injected) / 1000;
    // Worst phase alignment: two scrapes at the generated interval (api is critical: 5s; irate
    // judges the last two samples, so the interval between them must lie inside the fault),
    // the demo's 1s tick, an evaluation of the outage group, `for` (none), group_wait.
    const scrape = stack.scrapeIntervals.get('api')!;
    const bound = 2 * scrape + 1 + 4 + 0 + 2;
    console.log(
      `detection latency ${detection.toFixed(1)} s (bound ${bound} s: 2 × scrape ${scrape} s + demo tick 1 s + evaluation 4 s + for 0 s + group_wait 2 s; allowed ${bound + 1} s)`,
    );
    expect(detection).toBeLessThanOrEqual(bound + 1);

    // The playbook restarts the demo's api, the error ratio drops, Prometheus resolves the alert.
    await stack.capture.waitFor(about('platform-critical', 'ApiDown', 'resolved', injected), 60_000, 'resolving ApiDown');
    expect(
      stack.capture.notifications.filter((each) => each.alerts.some((alert) => alert.labels.alertname === 'RemediationFailed')),
    ).toEqual([]);
  }, 120_000);

  it('escalates with RemediationFailed when remediation cannot clear the fault', async () => {
    const injected = Date.now();
    await fault('database', { errorRatio: 1, sticky: true });
    const escalation = await stack.capture.waitFor(
      about('data-critical', 'RemediationFailed', 'firing', injected),
      60_000,
      'of RemediationFailed to the on-call',
    );
    expect(escalation.alerts[0]!.labels).toMatchObject({
      service: 'database',
      team: 'data',
      severity: 'critical',
      remediated_alertname: 'DatabaseDown',
      playbook: 'database-down',
    });
    await fault('database', {});
    // Alertmanager must have told the team it resolved, or the next outage would look like the same notification.
    await stack.capture.waitFor(about('data-critical', 'DatabaseDown', 'resolved', injected), 60_000, 'resolving DatabaseDown');
  }, 120_000);

  it("inhibits a dependent service's alerts while its dependency is down", async () => {
    const injected = Date.now();
    // Sticky: the database playbook's restart must not end the outage under test.
    await fault('database', { down: true, sticky: true });
    await stack.capture.waitFor(about('data-critical', 'DatabaseDown', 'firing', injected), 40_000, 'of DatabaseDown to data-critical');
    await fault('api', { errorRatio: 1, sticky: true });
    await until('ApiDown firing in Prometheus', 30_000, async () => ((await firingIn('ApiDown')) ? true : undefined));
    const inhibited = await until('ApiDown suppressed in Alertmanager', 20_000, async () => {
      const response = await fetch(`${stack.alertmanager}/api/v2/alerts?filter=${encodeURIComponent('alertname="ApiDown"')}`);
      const alerts = (await response.json()) as { status: { state: string; inhibitedBy: string[] } }[];
      return alerts.length > 0 && alerts.every((alert) => alert.status.state === 'suppressed' && alert.status.inhibitedBy.length > 0)
        ? alerts
        : undefined;
    });
    expect(inhibited.length).toBe(1);
    // Past the critical group_wait: still nothing about ApiDown since the database went down.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(stack.capture.notifications.filter(about('platform-critical', 'ApiDown', 'firing', injected))).toEqual([]);
    await fault('api', {});
    await fault('database', {});
  }, 120_000);
});
