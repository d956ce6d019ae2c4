import { rational, toPromqlNumber } from '../model/decimal.ts';
import { seconds, type Duration } from '../model/duration.ts';
import { defaultForecastLookback, type ThresholdExpr } from '../model/expr.ts';
import { resultLabels } from '../model/result-labels.ts';
import { renderMatcher, type Selector } from '../model/selector.ts';
import { numberPattern } from './numbers.ts';
import type { Service } from '../model/service.ts';

/** A PromQL string literal; JSON escaping is a subset of PromQL's Go-style escapes. */
export const quote = (value: string): string => JSON.stringify(value);

/** Service target labels first (sorted), then the selector's own matchers (sorted), then extras. */
export function renderSelector(
  name: string,
  service: Pick<Service, 'selector'>,
  selector: Pick<Selector, 'matchers'>,
  extra: readonly string[] = [],
): string {
  const base = Object.keys(service.selector)
    .sort()
    .map((label) => `${label}=${quote(service.selector[label]!)}`);
  const own = Object.keys(selector.matchers)
    .sort()
    .map((label) => renderMatcher(label, selector.matchers[label]!));
  const all = [...base, ...own, ...extra];
  return all.length === 0 ? name : `${name}{${all.join(',')}}`;
}

export const sumBy = (labels: readonly string[], inner: string, aggregate = 'sum'): string =>
  labels.length > 0 ? `${aggregate} by (${labels.join(', ')}) (${inner})` : `${aggregate}(${inner})`;

/** `rate(x[5m])`, or `rate(x[5m] offset 1w)` to read the past. */
export const rateOf = (selector: string, window: Duration, offset?: Duration): string =>
  `rate(${selector}[${window}]${offset === undefined ? '' : ` offset ${offset}`})`;

/**
 * The `le` of a bucket, matched by value: 2.x keeps the exporter's spelling (`0.25`, `0.250`,
 * `2.5e-01`, Go's `5e-05`), Prometheus 3 normalises it (`1` → `1.0`).
 */
export function leMatcher(bucket: number): string {
  return `le=~${quote(numberPattern(bucket))}`;
}

/**
 * The PromQL of a threshold expression, without the comparison; with `offset`, as it was that
 * long ago (every selector read `offset` back).
 */
export function renderThresholdExpr(service: Pick<Service, 'selector'>, expr: ThresholdExpr, offset?: Duration): string {
  if (expr.kind === 'promql') return expr.expr;
  const by = resultLabels(service, expr);
  const instant = (name: string, selector: Pick<Selector, 'matchers'>): string =>
    `${renderSelector(name, service, selector)}${offset === undefined ? '' : ` offset ${offset}`}`;
  const rate = (name: string, selector: Pick<Selector, 'matchers'>, window: Duration | undefined): string =>
    sumBy(by, rateOf(renderSelector(name, service, selector), window ?? '5m', offset));
  switch (expr.kind) {
    case 'ratio':
      return `100 * ${rate(expr.numerator.metric.name, expr.numerator, expr.window)} / ${rate(expr.denominator.metric.name, expr.denominator, expr.window)}`;
    case 'quantile': {
      const buckets = rateOf(renderSelector(`${expr.histogram.metric.name}_bucket`, service, expr.histogram), expr.window ?? '5m', offset);
      return `histogram_quantile(${expr.quantile}, ${sumBy([...by, 'le'], buckets)})`;
    }
    case 'average': {
      const name = expr.histogram.metric.name;
      return `${rate(`${name}_sum`, expr.histogram, expr.window)} / ${rate(`${name}_count`, expr.histogram, expr.window)}`;
    }
    case 'gaugePercent':
      return `100 * ${sumBy(by, instant(expr.used.metric.name, expr.used))} / ${sumBy(by, instant(expr.capacity.metric.name, expr.capacity))}`;
    case 'gauge':
      return sumBy(by, instant(expr.gauge.metric.name, expr.gauge), expr.aggregate);
    case 'rate':
      return rate(expr.counter.metric.name, expr.counter, expr.window);
    case 'forecast': {
      const lookback = expr.lookback ?? defaultForecastLookback;
      const predicted = `predict_linear(${renderSelector(expr.used.metric.name, service, expr.used)}[${lookback}]${offset === undefined ? '' : ` offset ${offset}`}, ${seconds(expr.horizon)})`;
      return `100 * ${sumBy(by, predicted)} / ${sumBy(by, instant(expr.capacity.metric.name, expr.capacity))}`;
    }
    case 'baseline': {
      const floor = toPromqlNumber(rational(expr.minimum ?? 0));
      return `100 * ${renderThresholdExpr(service, expr.current)} / (${renderThresholdExpr(service, expr.current, expr.offset)} > ${floor})`;
    }
  }
}
