import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DefinitionErrors } from '../../src/load/errors.ts';
import { loadPlatform } from '../../src/load/load.ts';

// Each fixture under test/fixtures/bad/<case>/definitions is a platform with a mistake; the
// loader must report exactly these lines (file › service › object › field: message), all at once.
const expected: Record<string, string[]> = {
  'bad-names': [
    `definitions/api.ts: service "API Gateway" › name: must be lower-case letters, digits, "-" or "_", starting with a letter`,
    `definitions/api.ts: service "API Gateway" › alert "high_error_rate" › name: must be CamelCase (letters and digits, starting upper-case)`,
  ],
  'counter-without-total': [
    `definitions/api.ts: service "api" › alert "NoJobs" › expr › counter: counter jobs_processed must end in _total, or _count for a histogram's or summary's count (Prometheus naming; dashboards rely on it)`,
  ],
  'slo-options-shape': [
    `definitions/wifi.ts: service "wifi" › slo "memory" › good: must set exactly one of below, atMost, above, atLeast`,
    `definitions/wifi.ts: service "wifi" › slo "memory" › alertName: must be letters, digits and "_", not starting with a digit`,
  ],
  'slo-options': [
    `definitions/wifi.ts: service "wifi" › slo "satisfaction" › labels › severity: "severity" is set by monforge on every SLO rule and alert (alertname, service, slo, team, severity, tier); use another name`,
    `definitions/wifi.ts: service "wifi" › slo "satisfaction" › annotations › summary: $labels.sloth_service is not a label of the SLO's series (it has: cluster, service, severity, slo); it would render empty`,
    `definitions/wifi.ts: service "wifi" › slo "satisfaction" › tiers › page › labels › tier: "tier" is set by monforge on every SLO rule and alert (alertname, service, slo, team, severity, tier); use another name`,
    `definitions/wifi.ts: service "wifi" › slo "satisfaction" › gauge: http_requests_total is a counter, not a gauge: this helper reads a gauge`,
    `definitions/wifi.ts: service "wifi" › slo "availability" › alertName: "WifiBad" is already the name of slo "satisfaction"`,
  ],
  'dependency-cycle': [`definitions/services.ts: service "api" › dependsOn: dependency cycle: api → cache → database → api`],
  'dependency-unknown': [`definitions/api.ts: service "api" › dependsOn: unknown service "databse"`],
  'duplicate-service': [`definitions/gateway.ts: service "api": duplicate service name "api" (first defined in definitions/api.ts)`],
  'events-file-invalid': [
    `definitions/events.json: event "launch" › start: "2027-02-30T09:00" is not a date and time like "2026-06-14T00:00"`,
    `definitions/events.json: event "promo": Unrecognized key: "owner"`,
    `definitions/events.json: event "sale" › services: unknown service "checkout"`,
    `definitions/events.json: event "sale" › name: "sale" is already the name of a time interval or event`,
  ],
  'events-file-not-json': [`definitions/events.json: is not valid JSON: Expected double-quoted property name in JSON at position 34`],
  'import-failure': [`definitions/api.ts: cannot be imported: DATABASE_URL is not set`],
  'invalid-duration': [
    `definitions/api.ts: service "api" › alert "HighErrorRate" › for: "5 minutes" is not a Prometheus duration like "5m" or "30d"`,
  ],
  'invalid-promql': [`definitions/backup.ts: service "backup" › alert "BackupLate" › expr: invalid PromQL: incomplete expression at end`],
  'latency-not-bucket': [
    `definitions/api.ts: service "api" › slo "latency" › threshold: 0.25 is not a bucket of http_request_duration_seconds (0.1, 0.2, 0.5, 1)`,
  ],
  'levels-wrong-order': [
    `definitions/api.ts: service "api" › alert "MemoryHigh" › levels: critical (80) must be above warning (90) for an alert on values above the level`,
  ],
  'many-errors': [
    `definitions/api.ts: service "api" › team: unknown team "payments" (known: platform)`,
    `definitions/api.ts: service "api" › dependsOn: unknown service "database"`,
    `definitions/api.ts: service "api" › slo "latency" › threshold: 0.3 is not a bucket of http_request_duration_seconds (0.1, 0.2, 0.5, 1)`,
    `definitions/api.ts: service "api" › alert "HighErrorRate" › levels: critical (1) must be above warning (5) for an alert on values above the level`,
  ],
  'missing-config': [`definitions: no defineConfig(...) export found (it sets the runbook base URL)`],
  'objective-out-of-range': [
    `definitions/api.ts: service "api" › slo "availability" › objective: 0.999 looks like a ratio: write the objective in percent (99.9)`,
    `definitions/api.ts: service "api" › slo "perfect" › objective: 100 is outside (0, 100): write the objective in percent, e.g. 99.9`,
  ],
  'quantile-above-buckets': [
    `definitions/api.ts: service "api" › alert "SlowRequests" › levels › critical: 2 is not below the largest bucket of http_request_duration_seconds (1): histogram_quantile never returns more, so this level can never fire`,
    `definitions/api.ts: service "api" › alert "SlowRequests" › levels › warning: 1 is not below the largest bucket of http_request_duration_seconds (1): histogram_quantile never returns more, so this level can never fire`,
  ],
  'opt-out-contradiction': [
    `definitions/api.ts: service "api" › optOut.latencySlo: the service has the latency SLO "latency": remove the opt-out`,
    `definitions/api.ts: service "api" › optOut.errorRatio: alert "ApiErrors" covers errorRatio: remove the opt-out`,
  ],
  'opt-out-without-reason': [`definitions/api.ts: service "api" › optOut.playbook: give the reason (coverage shows it)`],
  'policy-conflict': [
    `definitions/policies.ts: policy "strict" › liveness: policy "paging" (definitions/policies.ts) already sets liveness for tier critical: one policy per tier and setting`,
  ],
  'policy-invalid': [
    `definitions/policies.ts: policy "defaults" › errorRatio.levels: critical (1) must be above warning (5) for an alert on values above the level`,
    `definitions/policies.ts: policy "defaults" › errorRatio.escalate.to: info is not more severe than the mildest level (warning): an escalation raises the severity`,
    `definitions/policies.ts: policy "defaults" › latency.quantile: must be between 0 and 1 (exclusive): write 0.95 for p95`,
    `definitions/policies.ts: policy "defaults" › saturation.memory.levels.critical: 120 is not a percentage between 0 and 100 (exclusive)`,
  ],
  'policy-level-unreachable': [
    `definitions/api.ts: service "api" › alert "ApiLatencyHigh" (policy "defaults") › levels › warning: 2 is not below the largest bucket of http_request_duration_seconds (1): histogram_quantile never returns more, so this level can never fire`,
  ],
  'policy-name-taken': [
    `definitions/api.ts: service "api" › alert "ApiErrorRatioHigh": policy "defaults" generates an alert of this name for errorRatio: set covers: 'errorRatio' on yours, or rename it`,
  ],
  'ratio-over-gauge': [
    `definitions/api.ts: service "api" › alert "MemoryRatio" › expr › numerator: process_resident_memory_bytes is a gauge, not a counter: rate() and ratios need a counter`,
  ],
  'template-missing-label': [
    `definitions/api.ts: service "api" › alert "HighErrorRate" › summary: $labels.instance is not a label of the alert's series (it has: job, route); it would render empty`,
  ],
  'template-raw-value': [
    `definitions/api.ts: service "api" › alert "HighErrorRate" › description: unsupported template action "{{ $value }}": print the value through humanize, humanizePercentage, humanizeDuration or printf "%.2f" (raw $value shows float noise such as 0.11000000000000001)`,
  ],
  'tier-never-fires': [
    `definitions/api.ts: service "api" › slo "availability" › tiers › page: can never fire: 14.4× the error budget over 1h is an error ratio of 144 % at objective 90; raise the objective above 93.06 or disable the page tier`,
  ],
  'trend-invalid': [
    `definitions/api.ts: service "api" › alert "TrafficDrop" › expr › offset: 90s must be whole minutes, at least 1m (usually 1w: the same time last week)`,
    `definitions/api.ts: service "api" › alert "TrafficDrop" › expr › minimum: -1 must not be negative`,
    `definitions/api.ts: service "api" › alert "MemoryFillingUp" › expr › lookback: 1m is too short to fit a trend: use at least 2m (default 6h)`,
  ],
  'unknown-label': [
    `definitions/api.ts: service "api" › alert "HighErrorRate" › expr › numerator: http_requests_total has no label "status" (labels: route, code)`,
  ],
  'unknown-team': [`definitions/api.ts: service "api" › team: unknown team "payments" (known: platform)`],
};

async function messages(fixture: string): Promise<string[]> {
  try {
    await loadPlatform(path.resolve(import.meta.dirname, '../fixtures/bad', fixture));
  } catch (error) {
    if (error instanceof DefinitionErrors) return error.message.split('\n');
    throw error;
  }
  throw new Error(`${fixture} loaded without errors`);
}

describe('bad definitions', () => {
  it.each(Object.keys(expected))('%s', async (fixture) => {
    expect(await messages(fixture)).toEqual(expected[fixture]);
  });

  it('covers at least 15 kinds of mistakes', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(15);
  });
});
