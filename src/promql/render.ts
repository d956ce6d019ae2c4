import type { Duration } from '../model/duration.ts';
import type { ThresholdExpr } from '../model/expr.ts';
import { resultLabels } from '../model/result-labels.ts';
import { matcherOf, type Selector } from '../model/selector.ts';
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
    .map((label) => {
      const matcher = matcherOf(selector.matchers[label]!);
      return `${label}${matcher.op}${quote(matcher.value)}`;
    });
  return `${name}{${[...base, ...own, ...extra].join(',')}}`;
}

export const sumBy = (labels: readonly string[], inner: string, aggregate = 'sum'): string =>
  labels.length > 0 ? `${aggregate} by (${labels.join(', ')}) (${inner})` : `${aggregate}(${inner})`;

export const rateOf = (selector: string, window: Duration): string => `rate(${selector}[${window}])`;

/**
 * The `le` of a bucket, matched by value: 2.x keeps the exporter's spelling (`0.25`, `0.250`,
 * `2.5e-01`, Go's `5e-05`), Prometheus 3 normalises it (`1` → `1.0`).
 */
export function leMatcher(bucket: number): string {
  return `le=~${quote(numberPattern(bucket))}`;
}

/** The PromQL of a threshold expression, without the comparison. */
export function renderThresholdExpr(service: Pick<Service, 'selector'>, expr: ThresholdExpr): string {
  if (expr.kind === 'promql') return expr.expr;
  const by = resultLabels(service, expr);
  switch (expr.kind) {
    case 'ratio': {
      const window = expr.window ?? '5m';
      const numerator = sumBy(by, rateOf(renderSelector(expr.numerator.metric.name, service, expr.numerator), window));
      const denominator = sumBy(by, rateOf(renderSelector(expr.denominator.metric.name, service, expr.denominator), window));
      return `100 * ${numerator} / ${denominator}`;
    }
    case 'quantile': {
      const buckets = rateOf(renderSelector(`${expr.histogram.metric.name}_bucket`, service, expr.histogram), expr.window ?? '5m');
      return `histogram_quantile(${expr.quantile}, ${sumBy([...by, 'le'], buckets)})`;
    }
    case 'average': {
      const window = expr.window ?? '5m';
      const sum = sumBy(by, rateOf(renderSelector(`${expr.histogram.metric.name}_sum`, service, expr.histogram), window));
      const count = sumBy(by, rateOf(renderSelector(`${expr.histogram.metric.name}_count`, service, expr.histogram), window));
      return `${sum} / ${count}`;
    }
    case 'gaugePercent':
      return `100 * ${sumBy(by, renderSelector(expr.used.metric.name, service, expr.used))} / ${sumBy(by, renderSelector(expr.capacity.metric.name, service, expr.capacity))}`;
    case 'gauge':
      return sumBy(by, renderSelector(expr.gauge.metric.name, service, expr.gauge), expr.aggregate);
    case 'rate':
      return sumBy(by, rateOf(renderSelector(expr.counter.metric.name, service, expr.counter), expr.window ?? '5m'));
  }
}
