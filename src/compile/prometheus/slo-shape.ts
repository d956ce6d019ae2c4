import { sloRuleLabels, sloSelector } from '../../derive/records.ts';
import { sloSelectors } from '../../derive/slo-series.ts';
import { errorBudget, sloWindow } from '../../model/burn-rate.ts';
import type { PlatformConfig } from '../../model/config.ts';
import { mul, rational, toDecimal } from '../../model/decimal.ts';
import type { Duration } from '../../model/duration.ts';
import { counter, gauge, histogram } from '../../model/metric.ts';
import { re, select } from '../../model/selector.ts';
import type { Service } from '../../model/service.ts';
import { gaugeSlo, latencySlo, ratioSlo, type Slo } from '../../model/slo.ts';
import { isAlertingRule, type RecordingRule, type RuleGroup } from './rules.ts';
import { sloGroupName, sloGroups, slowGroupName } from './slo.ts';

// SLOs whose recording rules are the same up to names, selectors and the objective share a
// shape: what their aggregates count (errors of a total, good events of a total, requests under
// a latency bucket, a gauge's samples that miss a bound or its values as shares) and their window. The days-long wiring tests run once per shape, on an
// exemplar's rules written to prometheus/slo-shapes/; each service's own tests assert only what
// differs (the series read, the thresholds, the metadata), and `monforge check` verifies that
// every SLO's recording rules are its shape's, the placeholders aside (check/slo-shapes.ts).

export type ShapeKind = 'errors' | 'good' | 'latency' | 'gauge' | 'gauge-value';

export interface SloShape {
  readonly kind: ShapeKind;
  readonly window: Duration;
  /** `errors-30d`: the file names of its rules and tests. */
  readonly key: string;
}

export function sloShape(slo: Slo): SloShape {
  const kind: ShapeKind =
    slo.kind === 'gauge'
      ? slo.good === 'value'
        ? 'gauge-value'
        : 'gauge'
      : slo.kind === 'latency'
        ? 'latency'
        : slo.errors
          ? 'errors'
          : 'good';
  const window = sloWindow(slo);
  return { kind, window, key: `${kind}-${window}` };
}

export const shapeRuleFilePath = (shape: SloShape): string => `prometheus/slo-shapes/${shape.key}.rules.yml`;
/** Its wiring tests from raw series (evaluated every 5m) and over days from written aggregates (every hour). */
export const shapeTestFilePath = (shape: SloShape): string => `prometheus/tests/slo-shapes/${shape.key}.test.yml`;
export const shapeDaysTestFilePath = (shape: SloShape): string => `prometheus/tests/slo-shapes/${shape.key}.days.test.yml`;

const requests = counter({ name: 'requests_total', help: 'Requests.', labels: ['code'] });
const duration = histogram({ name: 'request_duration_seconds', help: 'Latency.', buckets: [0.1, 0.25, 1] });
const satisfaction = gauge({ name: 'satisfaction_ratio', help: 'Share of satisfied clients.' });

/** The service and SLO whose rules stand for a shape. */
export function shapeExemplar(shape: SloShape): { service: Service; slo: Slo } {
  const service: Service = { kind: 'service', name: 'shape', team: 'shape', tier: 'high', selector: { job: 'shape' } };
  const base = { objective: 99.9, window: shape.window };
  const exemplars: Record<ShapeKind, () => Slo> = {
    errors: () => ratioSlo({ ...base, name: 'availability', total: select(requests), errors: select(requests, { code: re('5..') }) }),
    good: () => ratioSlo({ ...base, name: 'availability', total: select(requests), good: select(requests, { code: re('2..') }) }),
    latency: () => latencySlo({ ...base, name: 'latency', histogram: select(duration), threshold: 0.25 }),
    gauge: () => gaugeSlo({ ...base, name: 'satisfaction', gauge: select(satisfaction), good: { atLeast: 0.75 } }),
    'gauge-value': () => gaugeSlo({ ...base, name: 'satisfaction', gauge: select(satisfaction), good: 'value' }),
  };
  const slo = exemplars[shape.kind]();
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
 * placeholders: group names, the labels (`service`, `slo` and the SLO's own), the raw
 * selectors, the objective and the error budget. Equal for every SLO of a shape whose rules are built alike.
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
  // The SLO's identity and its own labels, whichever they are.
  const labels = sloRuleLabels(service, slo);
  const sameLabels = (ruleLabels: Readonly<Record<string, string>>): boolean =>
    Object.keys(ruleLabels).length === Object.keys(labels).length &&
    Object.entries(ruleLabels).every(([key, value]) => labels[key] === value);
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
        // On one line, so that a difference names them.
        labels: sameLabels(rule.labels ?? {})
          ? '$labels'
          : Object.entries(rule.labels ?? {})
              .map(([key, value]) => `${key}=${value}`)
              .join(', '),
      })),
    })),
    null,
    1,
  );
}
