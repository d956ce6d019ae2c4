import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAlerts } from '../../../src/route-evaluator/api.ts';
import { compileAlertmanager } from '../../../src/compile/alertmanager/index.ts';
import { alertmanagerPath } from '../../../src/compile/alertmanager/names.ts';
import {
  defineConfig,
  defineRouting,
  defineService,
  defineTeam,
  gauge,
  gaugeValue,
  pager,
  select,
  webhook,
  type LocalDateTime,
} from '../../../src/index.ts';
import { emittedAlertLabels } from '../../../src/compile/prometheus/alert-labels.ts';
import { buildPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import { eventually, startAlertmanager, startCapture } from '../../helpers/alertmanager-server.ts';

// Maintenance and event windows as a real Alertmanager applies them: a maintenance window in
// force now mutes the team's warning but not its critical alert; an event window in force now
// pages the warning of its critical-path service, a future one does not.
describe('time intervals in Alertmanager', () => {
  let capture: Awaited<ReturnType<typeof startCapture>>;
  let am: { url: string; stop: () => Promise<void> };
  let platform: Platform;

  /** `YYYY-MM-DDTHH:MM` in UTC, `days` from now. */
  const utc = (days: number): LocalDateTime => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16) as LocalDateTime;

  beforeAll(async () => {
    capture = await startCapture();
    const value = gauge({ name: 'latency_seconds', help: 'Latency.', unit: 'seconds' });
    const service = (
      name: string,
      team: string,
      levels: { critical?: number; warning?: number; info?: number },
      dependsOn: string[] = [],
    ) =>
      defineService({
        name,
        team,
        tier: 'high',
        selector: { job: name },
        dependsOn,
        alerts: [{ name: 'Slow', expr: gaugeValue(select(value)), levels, summary: 'slow', description: 'slow' }],
      });
    const team = (name: string) =>
      defineTeam({
        name,
        receivers: { pager: pager({ url: `${capture.url}/${name}-pager` }), chat: webhook({ url: `${capture.url}/${name}-chat` }) },
        notify: { critical: ['pager'], high: ['chat'], warning: ['chat'] },
      });
    const fast = { groupWait: '1s', groupInterval: '2s' } as const;
    const routing = defineRouting({
      ladder: { critical: fast, high: fast, warning: fast },
      timeIntervals: { always: { periods: [{ weekdays: ['sunday:saturday'] }] }, never: { periods: [{ years: ['2001'] }] } },
      // Outside its hours (always, here), the digest still gets info alerts after the maximum hold.
      digest: { receivers: [webhook({ url: `${capture.url}/digest` })], during: ['never'], maxHold: '2s' },
      // A team's window, and a service's, which also mutes the services depending on it.
      maintenance: [
        { interval: 'always', teams: ['data'] },
        { interval: 'always', services: ['payments'] },
      ],
      events: [
        { name: 'now', start: utc(-1), end: utc(1), timeZone: 'UTC', services: ['checkout'] },
        { name: 'next-year', start: utc(365), end: utc(366), timeZone: 'UTC', leadTime: '2h', services: ['search'] },
      ],
    });
    const exports = {
      config: defineConfig({ runbookBaseUrl: 'https://runbooks.example.com/' }),
      data: team('data'),
      shop: team('shop'),
      // Separate services: a critical level would inhibit the warning of its own alert.
      database: service('database', 'data', { critical: 2 }),
      replica: service('replica', 'data', { warning: 1 }),
      checkout: service('checkout', 'shop', { warning: 1 }),
      search: service('search', 'shop', { warning: 1 }),
      reports: service('reports', 'shop', { info: 1 }),
      payments: service('payments', 'shop', { critical: 2 }),
      cart: service('cart', 'shop', { warning: 1 }, ['payments']),
      routing,
    };
    const errors: unknown[] = [];
    platform = buildPlatform(
      Object.entries(exports).map(([exportName, value]) => ({ source: 'definitions/platform.ts', exportName, value })),
      (error) => errors.push(error),
    )!;
    expect(errors).toEqual([]);
    am = await startAlertmanager(compileAlertmanager(platform, emittedAlertLabels(platform)).get(alertmanagerPath)!);
  });
  afterAll(async () => {
    await am?.stop();
    await capture?.stop();
  });

  it('mutes non-critical alerts during maintenance (a team, a service and its dependents), pages warnings of critical paths during an event, delivers info after the maximum hold', async () => {
    const now = Date.now();
    await postAlerts(
      am.url,
      emittedAlertLabels(platform).map((labels) => ({
        labels,
        annotations: {},
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 600_000).toISOString(),
      })),
    );
    const deliveries = (): string[] =>
      [
        ...new Set(
          capture.received.flatMap((each) => each.alerts.map((alert) => `${each.path} ${alert.labels.service} ${alert.labels.severity}`)),
        ),
      ].sort();
    const expected = [
      '/data-pager database critical',
      '/digest reports info',
      '/shop-chat checkout warning',
      // Absent detection: the posted alerts include every service's TargetsAbsent (warning).
      '/shop-chat reports warning',
      '/shop-chat search warning',
      '/shop-pager checkout warning',
      // payments is under maintenance: its critical alert still pages, its absent warning and cart's warning wait.
      '/shop-pager payments critical',
    ];
    await eventually(
      () => (expected.every((each) => deliveries().includes(each)) ? true : undefined),
      15_000,
      () => `delivered: ${deliveries().join('; ')}`,
    );
    // Longer than any group wait: what has not arrived by now was held back by a time interval.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(deliveries()).toEqual(expected);
  });
});
