import { sloLabels, sloSelector } from '../../derive/records.ts';
import { sloSelectors } from '../../derive/slo-series.ts';
import { errorBudget, sloWindow } from '../../model/burn-rate.ts';
import type { PlatformConfig } from '../../model/config.ts';
import { mul, rational, toDecimal } from '../../model/decimal.ts';
import type { Duration } from '../../model/duration.ts';
import { counter, histogram } from '../../model/metric.ts';
import { re, select } from '../../model/selector.ts';
import type { Service } from '../../model/service.ts';
import { latencySlo, ratioSlo, type Slo } from '../../model/slo.ts';
import { isAlertingRule, type RecordingRule, type RuleGroup } from './rules.ts';
import { sloGroupName, sloGroups, slowGroupName } from './slo.ts';

// SLOs whose recording rules are the same up to names, selectors and the objective share a
// shape: what their aggregates count (errors of a total, good events of a total, requests under
// a latency bucket) and their window. The days-long wiring tests run once per shape, on an
// exemplar's rules written to prometheus/slo-shapes/; each service's own tests assert only what
// differs (the series read, the thresholds, the metadata), and `monforge check` verifies that
// every SLO's recording rules are its shape's, the placeholders aside (check/slo-shapes.ts).

export type ShapeKind = 'errors' | 'good' | 'latency';

export interface SloShape {
  readonly kind: ShapeKind;
  readonly window: Duration;
  /** `errors-30d`: the file names of its rules and tests. */
  readonly key: string;
}

export function sloShape(slo: Slo): SloShape {
  const kind: ShapeKind = slo.kind === 'latency' ? 'latency' : slo.errors ? 'errors' : 'good';
  const window = sloWindow(slo);
  return { kind, window, key: `${kind}-${window}` };
}

export const shapeRuleFilePath = (shape: SloShape): string => `prometheus/slo-shapes/${shape.key}.rules.yml`;
/** Its wiring tests from raw series (evaluated every 5m) and over days from written aggregates (every hour). */
export const shapeTestFilePath = (shape: SloShape): string => `prometheus/tests/slo-shapes/${shape.key}.test.yml`;
export const shapeDaysTestFilePath = (shape: SloShape): string => `prometheus/tests/slo-shapes/${shape.key}.days.test.yml`;

const requests = counter({ name: 'requests_total', help: 'Requests.', labels: ['code'] });
const duration = histogram({ name: 'request_duration_seconds', help: 'Latency.', buckets: [0.1, 0.25, 1] });

/** The service and SLO whose rules stand for a shape. */
export function shapeExemplar(shape: SloShape): { service: Service; slo: Slo } {
  const service: Service = { kind: 'service', name: 'shape', team: 'shape', tier: 'high', selector: { job: 'shape' } };
  const base = { name: shape.kind === 'latency' ? 'latency' : 'availability', objective: 99.9, window: shape.window };
  const slo =
    shape.kind === 'latency'
      ? latencySlo({ ...base, histogram: select(duration), threshold: 0.25 })
      : shape.kind === 'errors'
        ? ratioSlo({ ...base, total: select(requests), errors: select(requests, { code: re('5..') }) })
        : ratioSlo({ ...base, total: select(requests), good: select(requests, { code: re('2..') }) });
  return { service: { ...service, slos: [slo] }, slo };
}

/** The recording rules of an SLO's groups (its alerts are every service's own). */
function recordingGroups(groups: readonly RuleGroup[]): RuleGroup[] {
  return groups.map((group) => ({ ...group, rules: group.rules.filter((rule) => !isAlertingRule(rule)) }));
}

/** The shape's rule file: the exemplar's recording rules. */
export function shapeRuleGroups(config: PlatformConfig, shape: SloShape): RuleGroup[] {
  const { service, slo } = shapeExemplar(shape);
  return recordingGroups(sloGroups(config, service, slo));
}

/** Escapes a string for a RegExp. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An SLO's recording rules with what may differ between SLOs of one shape replaced by
 * placeholders: group names, the `service` and `slo` labels, the raw selectors, the objective
 * and the error budget. Equal for every SLO of a shape whose rules are built alike.
 */
export function canonicalSloRules(
  groups: readonly { name: string; interval?: string; rules: readonly RecordingRule[] }[],
  service: Service,
  slo: Slo,
): string {
  const selectors = Object.entries(sloSelectors(service, slo)).sort(([, a], [, b]) => b.length - a.length);
  const numbers: [string, string][] = [
    [toDecimal(mul(rational(slo.objective), rational('0.01'))), '$objective'],
    [toDecimal(errorBudget(slo)), '$budget'],
  ];
  const canonical = (text: string): string => {
    let out = text;
    for (const [role, selector] of selectors) out = out.replaceAll(selector, () => `$${role}`);
    out = out.replaceAll(sloSelector(service, slo), () => '{$slo}');
    for (const [value, name] of numbers) out = out.replace(new RegExp(`(?<![\\w.])${literal(value)}(?![\\w.])`, 'g'), () => name);
    return out;
  };
  const labels = sloLabels(service, slo);
  const names = new Map([
    [sloGroupName(service, slo), '$group'],
    [slowGroupName(service, slo), '$group-long'],
  ]);
  return JSON.stringify(
    groups.map((group) => ({
      name: names.get(group.name) ?? group.name,
      interval: group.interval,
      rules: group.rules.map((rule) => ({
        record: rule.record,
        expr: canonical(rule.expr),
        labels: Object.fromEntries(
          Object.entries(rule.labels ?? {}).map(([key, value]) => [key, labels[key] === value ? `$${key}` : value]),
        ),
      })),
    })),
    null,
    1,
  );
}
