import { describe, expect, it } from 'vitest';
import { alertPool, redeliveries, withNewAlerts } from '../../scripts/bench-webhook/streams.ts';

type Sent = { alerts: { fingerprint: string; startsAt: string; labels: { alertname: string } }[] };
const alertsIn = (body: Buffer): Sent['alerts'] => (JSON.parse(body.toString('utf8')) as Sent).alerts;

describe("bench:webhook's streams", () => {
  const pool = alertPool();
  const matched = pool.filter((alert) => alert.labels.alertname === 'ApiDown');
  const seen = (alert: Sent['alerts'][number]) => `${alert.fingerprint} ${alert.startsAt}`;
  const known = new Set(pool.map(seen));

  // The stream is read in rounds (the benchmark's warm-up and measured rounds): the new alerts
  // must stay new across them, which a stream indexed by a per-round request counter did not.
  it('sends one new alert in ten, each with a startsAt never sent before, however many rounds read it', () => {
    const stream = withNewAlerts(pool, matched, 10);
    const fresh = new Set<string>();
    let alerts = 0;
    for (let round = 0; round < 3; round += 1) {
      for (let request = 0; request < 5000; request += 1) {
        for (const alert of alertsIn(stream.next())) {
          alerts += 1;
          if (known.has(seen(alert))) continue;
          expect(fresh.has(seen(alert))).toBe(false);
          expect(alert.labels.alertname).toBe('ApiDown');
          fresh.add(seen(alert));
        }
      }
    }
    expect({ alerts: stream.sent.alerts, fresh: stream.sent.fresh }).toEqual({ alerts, fresh: fresh.size });
    expect(fresh.size).toBe(Math.floor(alerts / 10));
  });

  it('sends only new alerts at one in one, and only the pool as re-deliveries', () => {
    const all = withNewAlerts(pool, matched, 1);
    for (let request = 0; request < 300; request += 1) for (const alert of alertsIn(all.next())) expect(known.has(seen(alert))).toBe(false);
    const again = redeliveries(pool);
    for (let request = 0; request < 3000; request += 1) for (const alert of alertsIn(again())) expect(known.has(seen(alert))).toBe(true);
  });
});
