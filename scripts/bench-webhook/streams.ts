// The request bodies of bench:webhook: realistic Alertmanager payloads, as re-deliveries of a
// pool of alerts or with a given share of new ones.

/** The body of the next request to a server (each server has its own sequence). */
export type Bodies = () => Buffer;

export type BenchAlert = ReturnType<typeof alertPool>[number];

/** 300 alerts of the example platform's services, some of them matched by a playbook. */
export function alertPool() {
  const alertnames = [
    'ApiResponseTimeHigh',
    'ApiMemoryHigh',
    'DatabaseQueryTimeHigh',
    'ApiDown',
    'ApiErrorRateHigh',
    'WebPageLoadSlow',
    'SearchSlow',
    'CacheHitRatioLow',
    'JobsBackupLate',
    'AssistantResponseSlow',
  ];
  return Array.from({ length: 300 }, (_, index) => {
    const alertname = alertnames[index % alertnames.length]!;
    const service = alertname.startsWith('Api')
      ? 'api'
      : alertname.startsWith('Database')
        ? 'database'
        : alertname.replace(/[A-Z][a-z]+$/, '').toLowerCase();
    return {
      status: 'firing',
      labels: {
        alertname,
        service,
        team: 'platform',
        severity: index % 3 === 0 ? 'warning' : 'critical',
        job: service,
        instance: `10.0.${index % 7}.${index}:8080`,
      },
      annotations: {
        summary: `${alertname} on ${service}`,
        description: 'A description of realistic length for an alert, with a runbook link.',
        runbook_url: `https://runbooks.example.com/${alertname.toLowerCase()}`,
      },
      startsAt: new Date(Date.UTC(2024, 4, 1, 10, index % 60, 0)).toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: `http://prometheus.example:9090/graph?g0.expr=${encodeURIComponent('up == 0')}`,
      fingerprint: (0x1000000000000000n + BigInt(index) * 7919n).toString(16),
    };
  });
}

/** Alertmanager's webhook payload around `alerts`. */
function payload(alerts: readonly BenchAlert[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      version: '4',
      groupKey: `{}/{}:{alertname="${alerts[0]!.labels.alertname}"}`,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'remediation',
      groupLabels: { alertname: alerts[0]!.labels.alertname },
      commonLabels: { team: 'platform' },
      commonAnnotations: {},
      externalURL: 'http://alertmanager.example:9093',
      alerts,
    }),
  );
}

/** The request's alerts: 1 or 2 (every third request), picked from the pool by `pick`. */
const alertsOf = (request: number, pick: (slot: number) => BenchAlert): BenchAlert[] =>
  request % 3 === 0 ? [pick(request * 17), pick(request * 31)] : [pick(request * 17)];

/** 1,000 payloads of the pool's alerts, sent again and again: re-deliveries. */
export function redeliveries(pool: readonly BenchAlert[]): Bodies {
  const bodies = Array.from({ length: 1000 }, (_, request) => payload(alertsOf(request, (slot) => pool[slot % pool.length]!)));
  let request = 0;
  return () => bodies[request++ % bodies.length]!;
}

/**
 * A stream in which one alert in `every` is new: an alert a playbook matches, with a startsAt
 * no request had before (the counter runs over the server's whole life, never reset); the
 * others are re-deliveries of the pool's. `sent` counts them.
 */
export function withNewAlerts(pool: readonly BenchAlert[], matched: readonly BenchAlert[], every: number) {
  const sent = { alerts: 0, fresh: 0 };
  let request = 0;
  const base = Date.UTC(2025, 0, 1);
  const next: Bodies = () => {
    const alerts = alertsOf(request++, (slot) => {
      sent.alerts += 1;
      if (sent.alerts % every !== 0) return pool[slot % pool.length]!;
      sent.fresh += 1;
      return { ...matched[sent.fresh % matched.length]!, startsAt: new Date(base + sent.fresh * 1000).toISOString() };
    });
    return payload(alerts);
  };
  return { next, sent };
}
