import { sliErrorRecord, sloSelector } from '../../derive/records.ts';
import { errorBudget } from '../../model/burn-rate.ts';
import { toDecimal } from '../../model/decimal.ts';
import type { Duration } from '../../model/duration.ts';
import type { PromqlExpr, ThresholdExpr } from '../../model/expr.ts';
import type { Histogram } from '../../model/metric.ts';
import type { Matcher, Selector } from '../../model/selector.ts';
import type { Service } from '../../model/service.ts';
import type { Slo } from '../../model/slo.ts';
import { withCounterRange } from '../../promql/ranges.ts';
import { quote, rateOf, renderSelector, renderThresholdExpr, sumBy } from '../../promql/render.ts';

// The PromQL behind the panels. Raw series are read over `$__rate_interval` (at least four
// scrape intervals, so a rate always has samples at any zoom level) and filtered by the
// dashboard's job/instance variables; SLO panels read the generated recording rules.

/** Grafana's rate window variable. */
export const rateInterval = '$__rate_interval';
/** render.ts interpolates a window as text, so the variable can stand in for a duration. */
const rateWindow = rateInterval as Duration;

/** Target labels a service dashboard filters by: job and instance, unless the service selector pins them. */
export function variableLabels(service: Pick<Service, 'selector'>): string[] {
  return ['job', 'instance'].filter((label) => !(label in service.selector));
}

/** `{ instance: =~"$instance" }`: the matchers of the dashboard variables, added to every raw selector. */
export function variableMatchers(service: Pick<Service, 'selector'>): Record<string, Matcher> {
  return Object.fromEntries(variableLabels(service).map((label) => [label, { op: '=~', value: `$${label}` }]));
}

const filtered = <S extends Selector>(selector: S, matchers: Record<string, Matcher>): S => ({
  ...selector,
  matchers: { ...selector.matchers, ...matchers },
});

/** A raw selector of the service, filtered by the dashboard variables. */
export function panelSelector(service: Service, name: string, selector: Selector): string {
  return renderSelector(name, service, filtered(selector, variableMatchers(service)));
}

export const perSecond = (service: Service, selector: Selector): string =>
  sumBy([], rateOf(panelSelector(service, selector.metric.name, selector), rateWindow));

export const errorRatio = (service: Service, errors: Selector, requests: Selector): string =>
  `${perSecond(service, errors)} / ${perSecond(service, requests)}`;

export function histogramQuantile(service: Service, histogram: Selector<Histogram>, quantile: number): string {
  const buckets = rateOf(panelSelector(service, `${histogram.metric.name}_bucket`, histogram), rateWindow);
  return `histogram_quantile(${quantile}, ${sumBy(['le'], buckets)})`;
}

/**
 * What a threshold alert compares with its levels, as a panel draws it: the alert's own
 * expression, over `$__rate_interval` instead of its fixed window, filtered by the variables.
 */
export function thresholdPanelExpr(service: Service, expr: ThresholdExpr): string {
  // Raw PromQL cannot take the variables' matchers; its rate ranges still follow the zoom.
  if (expr.kind === 'promql') return withCounterRange(expr.expr, rateInterval);
  return renderThresholdExpr(service, onPanel(variableMatchers(service), expr));
}

/** The expression with the variables' matchers on every selector and every rate over `$__rate_interval`. */
function onPanel<E extends Exclude<ThresholdExpr, PromqlExpr>>(matchers: Record<string, Matcher>, expr: E): E;
function onPanel(matchers: Record<string, Matcher>, expr: Exclude<ThresholdExpr, PromqlExpr>): Exclude<ThresholdExpr, PromqlExpr> {
  const f = <S extends Selector>(selector: S): S => filtered(selector, matchers);
  switch (expr.kind) {
    case 'ratio':
      return { ...expr, window: rateWindow, numerator: f(expr.numerator), denominator: f(expr.denominator) };
    case 'quantile':
    case 'average':
      return { ...expr, window: rateWindow, histogram: f(expr.histogram) };
    case 'rate':
      return { ...expr, window: rateWindow, counter: f(expr.counter) };
    case 'gaugePercent':
    case 'forecast':
      return { ...expr, used: f(expr.used), capacity: f(expr.capacity) };
    case 'gauge':
      return { ...expr, gauge: f(expr.gauge) };
    case 'baseline':
      return { ...expr, current: onPanel(matchers, expr.current) };
  }
}

/** `label_values(up{job="api"}, instance)`: a variable's values among the service's targets. */
export function variableQuery(service: Service, label: string): string {
  // Each variable's list follows the variables before it: instances of the chosen jobs.
  const before = Object.entries(variableMatchers(service)).slice(0, variableLabels(service).indexOf(label));
  return `label_values(${renderSelector('up', service, { matchers: Object.fromEntries(before) })}, ${label})`;
}

// SLO panels: one SLO's series among every service's, by its `service` and `slo` labels.

export const sliRatio = (service: Service, slo: Slo, window: Duration): string =>
  `1 - ${sliErrorRecord(window)}${sloSelector(service, slo)}`;

export const objectiveRatio = (service: Service, slo: Slo): string => `slo:objective:ratio${sloSelector(service, slo)}`;

export const budgetRemaining = (service: Service, slo: Slo): string =>
  `slo:period_error_budget_remaining:ratio${sloSelector(service, slo)}`;

/** Burn rate over a window: its error ratio as a multiple of the budget (1× spends exactly the budget over the SLO window). */
export const burnRate = (service: Service, slo: Slo, window: Duration): string =>
  `${sliErrorRecord(window)}${sloSelector(service, slo)} / ${toDecimal(errorBudget(slo))}`;

/** The SLO's burn alerts that are firing now (Prometheus keeps ALERTS for every active alert). */
export const firingSloAlerts = (service: Service, slo: Slo): string =>
  `ALERTS{alertstate="firing",service=${quote(service.name)},slo=${quote(slo.name)}}`;
