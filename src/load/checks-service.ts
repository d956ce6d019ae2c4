import type { ThresholdAlert } from '../model/alert.ts';
import { burnFactor, enabledTiers, errorBudget, sloWindow, tierWindows } from '../model/burn-rate.ts';
import { compare, div, mul, rational, sub, toDecimal, toNumber, type Rational } from '../model/decimal.ts';
import { seconds } from '../model/duration.ts';
import type { ThresholdExpr } from '../model/expr.ts';
import type { Metric, MetricKind } from '../model/metric.ts';
import type { Sourced } from '../model/platform.ts';
import { matcherOf, type Selector } from '../model/selector.ts';
import type { Service } from '../model/service.ts';
import { severities } from '../model/severity.ts';
import { burnTiers, type Slo } from '../model/slo.ts';
import { resultLabels } from '../model/result-labels.ts';
import { parseAlertTemplate, templateLabelRefs } from '../promql/template.ts';
import { promqlErrorsFor } from '../promql/parse.ts';
import * as alerts from '../findings/catalog/alerts.ts';
import { duplicateName } from '../findings/catalog/definitions.ts';
import * as metrics from '../findings/catalog/metrics.ts';
import * as slos from '../findings/catalog/slos.ts';
import type { Said } from '../findings/kind.ts';
import { definitionError, type DefinitionError } from './errors.ts';
import { checkLevels } from './levels.ts';

type Report = (error: DefinitionError) => void;

/** Checks one service's SLOs, alerts and selectors; `report` receives every problem. */
export function checkService(service: Service & Sourced, report: Report): void {
  const at = [`service "${service.name}"`];
  const fail: Fail = (path, said) => report(definitionError(service.source, [...at, ...path], said));

  if (service.traffic) {
    checkSelector(service.traffic.requests, 'counter', ['traffic', 'requests'], fail);
    checkSelector(service.traffic.errors, 'counter', ['traffic', 'errors'], fail);
    if (service.traffic.latency) checkSelector(service.traffic.latency, 'histogram', ['traffic', 'latency'], fail);
  }
  checkNamesUnique(service.slos ?? [], 'slo', fail);
  checkNamesUnique(service.alerts ?? [], 'alert', fail);
  for (const slo of service.slos ?? []) checkSlo(slo, (path, said) => fail([`slo "${slo.name}"`, ...path], said));
  checkSloAlertNames(service, fail);
  for (const alert of service.alerts ?? []) checkAlert(service, alert, (path, said) => fail([`alert "${alert.name}"`, ...path], said));
}

export type Fail = (path: string[], said: Said) => void;

function checkNamesUnique(items: readonly { name: string }[], what: string, fail: Fail): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.name)) fail([`${what} "${item.name}"`], duplicateName(what, item.name));
    seen.add(item.name);
  }
}

const usedAs: Record<MetricKind, string> = { counter: 'a counter', gauge: 'a gauge', histogram: 'a histogram' };
const why: Record<MetricKind, string> = {
  counter: 'rate() and ratios need a counter',
  gauge: 'this helper reads a gauge',
  histogram: 'quantiles, averages and latency SLOs need a histogram',
};

export function checkSelector(selector: Selector, kind: MetricKind, path: string[], fail: Fail): void {
  const metric: Metric = selector.metric;
  if (metric.kind !== kind) {
    fail(path, metrics.wrongMetricKind(metric.name, usedAs[metric.kind], usedAs[kind], why[kind]));
  }
  for (const [label, value] of Object.entries(selector.matchers)) {
    if (!metric.labels.includes(label)) {
      fail(path, metrics.unknownLabel(metric.name, label, metric.labels));
      continue;
    }
    const matcher = matcherOf(value);
    if (matcher.op === '=~' || matcher.op === '!~') {
      try {
        new RegExp(`^(?:${matcher.value})$`);
      } catch {
        fail(path, metrics.invalidRegexp(metric.name, label, matcher.op, matcher.value));
      }
    }
  }
}

function checkSlo(slo: Slo, fail: Fail): void {
  if (!(slo.objective > 0 && slo.objective < 100)) fail(['objective'], slos.objectiveOutOfRange(slo.objective));
  else if (slo.objective < 1) fail(['objective'], slos.objectiveAsRatio(slo.objective));
  const windowSeconds = seconds(sloWindow(slo));
  if (windowSeconds < seconds('7d')) fail(['window'], slos.windowTooShort(sloWindow(slo)));
  checkSloLabels(slo, fail);
  if (slo.kind === 'ratio') {
    checkSelector(slo.total, 'counter', ['total'], fail);
    const bad = slo.errors ?? slo.good;
    if (!bad || (slo.errors && slo.good)) fail([], slos.ratioSloEvents());
    else checkSelector(bad, 'counter', [slo.errors ? 'errors' : 'good'], fail);
  } else if (slo.kind === 'gauge') {
    checkSelector(slo.gauge, 'gauge', ['gauge'], fail);
  } else {
    checkSelector(slo.histogram, 'histogram', ['histogram'], fail);
    const metric = slo.histogram.metric;
    if (metric.kind === 'histogram' && !metric.buckets.includes(slo.threshold)) {
      fail(['threshold'], slos.thresholdNotBucket(slo.threshold, metric.name, metric.buckets));
    }
  }
  if (!(slo.objective >= 1 && slo.objective < 100)) return;
  const budget = errorBudget(slo);
  for (const tier of enabledTiers(slo)) {
    // A condition needs an error ratio of factor × budget; above 100 % it can never be met.
    const impossible = tierWindows[tier].find((window) => compare(mul(burnFactor(slo, window), budget), rational(1)) >= 0);
    if (!impossible) continue;
    const factor = burnFactor(slo, impossible);
    const minimum = toNumber(mul(sub(rational(1), div(rational(1), factor)), rational(100)));
    fail(
      ['tiers', tier],
      slos.tierNeverFires(
        formatFactor(factor),
        impossible.long,
        formatFactor(mul(mul(factor, budget), rational(100))),
        slo.objective,
        Number(minimum.toFixed(2)),
        tier,
      ),
    );
  }
}

/** Labels monforge sets on an SLO's rules and alerts itself: routing, inhibition and the dashboards key on them. */
const ownSloLabels = ['alertname', 'service', 'slo', 'team', 'severity', 'tier'];

/**
 * An SLO's own labels and annotations: none may replace monforge's labels, and annotation
 * templates may only read labels of the recorded series the alerts fire on (`service`, `slo`
 * and the SLO's `labels`; Prometheus renders `$labels` from the series, not the rule's labels).
 */
function checkSloLabels(slo: Slo, fail: Fail): void {
  const owned = (labels: Readonly<Record<string, string>> | undefined, path: string[]): void => {
    for (const label of Object.keys(labels ?? {}))
      if (ownSloLabels.includes(label)) fail([...path, label], slos.reservedLabel(label, ownSloLabels));
  };
  const series = new Set(['service', 'slo', ...Object.keys(slo.labels ?? {})]);
  const templates = (annotations: Readonly<Record<string, string>> | undefined, path: string[]): void => {
    for (const [key, text] of Object.entries(annotations ?? {})) {
      const parsed = parseAlertTemplate(text);
      if ('error' in parsed) {
        fail([...path, key], alerts.invalidTemplate(parsed.error));
        continue;
      }
      for (const label of templateLabelRefs(parsed))
        if (!series.has(label)) fail([...path, key], slos.annotationUnknownLabel(label, [...series]));
    }
  };
  owned(slo.labels, ['labels']);
  templates(slo.annotations, ['annotations']);
  for (const tier of burnTiers) {
    owned(slo.tiers?.[tier]?.labels, ['tiers', tier, 'labels']);
    templates(slo.tiers?.[tier]?.annotations, ['tiers', tier, 'annotations']);
  }
}

/** An SLO's own alert name must not be another alert's of the service: tests and routes find alerts by name. */
function checkSloAlertNames(service: Service, fail: Fail): void {
  const owners = new Map<string, string>();
  for (const alert of service.alerts ?? []) owners.set(alert.name, `alert "${alert.name}"`);
  for (const slo of service.slos ?? []) {
    if (slo.alertName === undefined) continue;
    const other = owners.get(slo.alertName);
    if (other) fail([`slo "${slo.name}"`, 'alertName'], slos.alertNameTaken(slo.alertName, other));
    else owners.set(slo.alertName, `slo "${slo.name}"`);
  }
}

function formatFactor(value: Rational): string {
  try {
    return toDecimal(value);
  } catch {
    return toNumber(value).toFixed(4);
  }
}

function checkAlert(service: Service, alert: ThresholdAlert, fail: Fail): void {
  checkExpr(alert.expr, fail);
  const direction = alert.direction ?? 'above';
  checkLevels(alert.levels, direction, alert.escalate, fail);
  checkReachable(alert, direction, fail);
  const labels = new Set(resultLabels(service, alert.expr));
  for (const field of ['summary', 'description'] as const) {
    const parsed = parseAlertTemplate(alert[field]);
    if ('error' in parsed) {
      fail([field], alerts.invalidTemplate(parsed.error));
      continue;
    }
    for (const label of templateLabelRefs(parsed)) {
      if (!labels.has(label)) {
        fail([field], alerts.templateUnknownLabel(label, [...labels]));
      }
    }
  }
}

/** Levels the expression can never cross make alerts that never fire. */
export function checkReachable(alert: ThresholdAlert, direction: 'above' | 'below', fail: Fail): void {
  for (const severity of severities) {
    const level = alert.levels[severity];
    if (level === undefined) continue;
    if (
      (alert.expr.kind === 'ratio' || alert.expr.kind === 'gaugePercent') &&
      (level < 0 || level > 100 || (direction === 'above' ? level >= 100 : level <= 0))
    ) {
      fail(['levels', severity], alerts.levelUnreachable(level, 'can never be crossed: this expression is a percentage (0–100)'));
    }
    if (alert.expr.kind === 'quantile' && alert.expr.histogram.metric.kind === 'histogram') {
      const { buckets, name } = alert.expr.histogram.metric;
      const largest = buckets.at(-1)!;
      if (direction === 'above' && level >= largest) {
        fail(
          ['levels', severity],
          alerts.levelUnreachable(
            level,
            `is not below the largest bucket of ${name} (${largest}): histogram_quantile never returns more, so this level can never fire`,
          ),
        );
      }
    }
  }
}

function checkExpr(expr: ThresholdExpr, fail: Fail, path: string[] = ['expr']): void {
  switch (expr.kind) {
    case 'ratio':
      checkSelector(expr.numerator, 'counter', [...path, 'numerator'], fail);
      checkSelector(expr.denominator, 'counter', [...path, 'denominator'], fail);
      return;
    case 'rate':
      checkSelector(expr.counter, 'counter', path, fail);
      return;
    case 'quantile':
      if (!(expr.quantile > 0 && expr.quantile < 1)) fail([...path, 'quantile'], alerts.quantileOutOfRange(expr.quantile));
      checkSelector(expr.histogram, 'histogram', path, fail);
      return;
    case 'average':
      checkSelector(expr.histogram, 'histogram', path, fail);
      return;
    case 'gaugePercent':
      checkSelector(expr.used, 'gauge', [...path, 'used'], fail);
      checkSelector(expr.capacity, 'gauge', [...path, 'capacity'], fail);
      return;
    case 'gauge':
      checkSelector(expr.gauge, 'gauge', path, fail);
      return;
    case 'promql':
      for (const error of promqlErrorsFor(expr.expr)) fail(path, alerts.invalidPromql(error));
      return;
    case 'forecast':
      checkSelector(expr.used, 'gauge', [...path, 'used'], fail);
      checkSelector(expr.capacity, 'gauge', [...path, 'capacity'], fail);
      if (seconds(expr.horizon) <= 0) fail([...path, 'horizon'], alerts.trendSettings('must be longer than 0s'));
      if (expr.lookback !== undefined && seconds(expr.lookback) < 120)
        fail([...path, 'lookback'], alerts.trendSettings(`${expr.lookback} is too short to fit a trend: use at least 2m (default 6h)`));
      return;
    case 'baseline':
      checkExpr(expr.current, fail, [...path, 'current']);
      if (seconds(expr.offset) < 60 || seconds(expr.offset) % 60 !== 0)
        fail(
          [...path, 'offset'],
          alerts.trendSettings(`${expr.offset} must be whole minutes, at least 1m (usually 1w: the same time last week)`),
        );
      if (expr.minimum !== undefined && expr.minimum < 0)
        fail([...path, 'minimum'], alerts.trendSettings(`${expr.minimum} must not be negative`));
      return;
  }
}
