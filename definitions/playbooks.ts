import { definePlaybook, type HttpAction } from '../src/index.ts';

// SPEC "Automated remediation": the receiver (`npx monforge webhook`) runs these when
// Alertmanager delivers a matching firing alert. Endpoints are the services' admin APIs;
// tokens are files on the receiver's host, never values here.

const apiAdmin = 'http://api.internal:8080/admin';
const apiToken = { file: '/etc/monforge/secrets/api-admin-token', prefix: 'Bearer ' } as const;

/** High latency → scale up and shed load; throttling is lifted again when the alert resolves. */
export const apiHighLatency = definePlaybook({
  name: 'api-high-latency',
  description: 'p95 above 2 s: add replicas and enable request throttling until latency recovers.',
  match: { alertname: 'ApiResponseTimeHigh', severity: 'critical' },
  actions: [
    { kind: 'log', name: 'announce', message: 'scaling up {{ $labels.service }}: p95 latency above 2 s' },
    {
      kind: 'http',
      name: 'scale-up',
      url: `${apiAdmin}/scale`,
      headers: { Authorization: apiToken },
      body: { service: '{{ $labels.service }}', add: 2 },
    },
    {
      kind: 'http',
      name: 'throttle',
      url: `${apiAdmin}/throttle`,
      headers: { Authorization: apiToken },
      body: { enabled: true, maxRps: 800 },
    },
  ],
  // "Latency improved": p95 back under the 1 s warning level.
  verify: {
    query: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="{{ $labels.job }}"}[2m]))) < 1',
    within: '10m',
    interval: '30s',
  },
  onFailure: {
    rollback: [{ kind: 'http', name: 'unthrottle', method: 'DELETE', url: `${apiAdmin}/throttle`, headers: { Authorization: apiToken } }],
  },
  onResolved: [
    { kind: 'http', name: 'lift-throttle', method: 'DELETE', url: `${apiAdmin}/throttle`, headers: { Authorization: apiToken } },
  ],
  cooldown: '30m',
  maxRunsPerHour: 2,
});

/** Memory pressure → a rolling restart of the process. */
export const apiMemoryPressure = definePlaybook({
  name: 'api-memory-pressure',
  description: 'Memory above 90 % of the limit: rolling restart before the OOM killer strikes.',
  match: { alertname: 'ApiMemoryHigh', severity: 'critical' },
  actions: [
    {
      kind: 'http',
      name: 'rolling-restart',
      url: `${apiAdmin}/restart`,
      headers: { Authorization: apiToken },
      body: { mode: 'rolling' },
      timeout: '30s',
    },
  ],
  verify: {
    query:
      '100 * sum(process_resident_memory_bytes{job="{{ $labels.job }}"}) / sum(process_memory_limit_bytes{job="{{ $labels.job }}"}) < 80',
    within: '5m',
  },
  cooldown: '1h',
  maxRunsPerHour: 1,
});

/** The pooler's admin API; its token comes from the receiver's environment. */
const setPoolSize = (name: string, size: number): HttpAction => ({
  kind: 'http',
  name,
  method: 'PUT',
  url: 'http://pgbouncer.internal:8081/admin/pool/{{ $labels.service }}',
  headers: { 'X-Admin-Token': { env: 'PGBOUNCER_ADMIN_TOKEN' } },
  body: { size },
});

/** DB slowdown → a larger connection pool; restored when that does not bring query time down. */
export const databaseSlowdown = definePlaybook({
  name: 'database-slowdown',
  description: 'p95 query time above 500 ms: grow the connection pool.',
  match: { alertname: 'DatabaseQueryTimeHigh', severity: 'high' },
  actions: [setPoolSize('grow-pool', 60)],
  verify: {
    query: 'histogram_quantile(0.95, sum by (le) (rate(db_query_duration_seconds_bucket{job="{{ $labels.job }}"}[2m]))) < 0.5',
    within: '10m',
    interval: '30s',
  },
  onFailure: {
    rollback: [setPoolSize('restore-pool', 40)],
  },
  cooldown: '30m',
});

/**
 * Service failure → restart the unit; when it stays down, fail over to the standby site (and
 * page: the escalation is on by default). SPEC: "service failure → restart, fail over".
 */
function restartThenFailOver(name: string, alertname: string, unit: `${string}.service`, description: string) {
  return definePlaybook({
    name,
    description,
    match: { alertname },
    allowExec: ['/usr/bin/systemctl'],
    actions: [{ kind: 'exec', name: 'restart', argv: ['/usr/bin/systemctl', 'restart', unit], timeout: '60s' }],
    verify: { query: 'sum(up{job="{{ $labels.job }}"}) > 0', within: '2m', interval: '10s' },
    onFailure: {
      rollback: [
        {
          kind: 'http',
          name: 'fail-over',
          url: 'http://lb.internal:8404/admin/failover',
          headers: { Authorization: apiToken },
          body: { service: '{{ $labels.service }}', to: 'standby' },
        },
      ],
    },
    cooldown: '15m',
    maxRunsPerHour: 3,
  });
}

export const apiDown = restartThenFailOver(
  'api-down',
  'ApiDown',
  'api.service',
  'The API answers no requests: restart it, then fail over to the standby site.',
);

/** The assistant's model backend: add workers when answers slow down (SPEC: high latency → scale up). */
export const assistantSlow = definePlaybook({
  name: 'assistant-slow',
  description: 'p95 answer time above 5 s: add model workers until answers are back under 2 s.',
  match: { alertname: 'AssistantResponseSlow', severity: 'critical' },
  actions: [
    {
      kind: 'http',
      name: 'add-workers',
      url: 'http://ivor-backend.internal:8088/admin/workers',
      headers: { Authorization: { file: '/etc/monforge/secrets/ivor-admin-token', prefix: 'Bearer ' } },
      body: { add: 2 },
    },
  ],
  verify: {
    query: 'histogram_quantile(0.95, sum by (le) (rate(ivor_response_duration_seconds_bucket{job="{{ $labels.job }}"}[2m]))) < 2',
    within: '10m',
    interval: '30s',
  },
  cooldown: '30m',
  maxRunsPerHour: 2,
});

/** The event-day critical paths. */
export const eventDayDown = restartThenFailOver(
  'event-day-down',
  'EventDayDown',
  'event-day.service',
  'The event-day critical paths answer no requests: restart them, else fail over to the standby site.',
);
