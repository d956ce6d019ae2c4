import { pastAndPresent, thresholdLabels, thresholdSeries } from '../../../derive/test-series.ts';
import type { ThresholdAlert } from '../../../model/alert.ts';
import type { BaselineExpr, ThresholdExpr } from '../../../model/expr.ts';
import { seconds } from '../../../model/duration.ts';
import type { Service } from '../../../model/service.ts';
import { severities, type Severity } from '../../../model/severity.ts';
import { printsValue, renderAlertTemplate, type ParsedTemplate } from '../../../promql/template.ts';
import type { AlertingRule } from '../rules.ts';
import { escalatedLabel } from '../threshold.ts';
import { expectedAlert, parsedAnnotations } from './expect.ts';
import { minutes, type AlertTestCase, type TestGroup } from './promtool.ts';

/**
 * When a synthesized value first exists and when it has settled: gauges from the first sample,
 * ratios of rates from the second (same shape on both sides), a plain rate once its 5m window
 * is full; raw PromQL is not known, so it gets the cautious bounds. A baseline waits for its
 * offset: before that it has no past to compare with.
 */
function timing(expr: ThresholdExpr): { activeFrom: number; steadyFrom: number } {
  switch (expr.kind) {
    case 'gauge':
    case 'gaugePercent':
      return { activeFrom: 0, steadyFrom: 0 };
    case 'ratio':
    case 'quantile':
    case 'average':
    case 'forecast':
      return { activeFrom: 1, steadyFrom: 1 };
    case 'rate':
      return { activeFrom: 1, steadyFrom: 5 };
    case 'promql':
      return { activeFrom: 0, steadyFrom: 5 };
    case 'baseline': {
      const offset = seconds(expr.offset) / 60;
      const current = timing(expr.current);
      return { activeFrom: offset + current.activeFrom, steadyFrom: offset + current.steadyFrom };
    }
  }
}

/** Margins tried in turn; the first whose annotations don't sit on a rounding edge wins. */
const margins = [0.02, 0.03, 0.017, 0.023, 0.041];

/**
 * A value a few percent past a level (or short of it), kept where the expression can reach it
 * and where float noise in the evaluated value cannot change the rendered annotations.
 */
function near(alert: ThresholdAlert, level: number, past: boolean, stable: (value: number) => boolean): number {
  const up = (alert.direction ?? 'above') === 'above' ? past : !past;
  const candidates = margins.map((margin) => {
    let value = level === 0 ? (up ? 1 : -1) * (1 + margin) : level * (up ? 1 + margin : 1 - margin);
    if (alert.expr.kind === 'ratio') value = Math.min(value, 100);
    if (alert.expr.kind === 'quantile') value = Math.min(value, alert.expr.histogram.metric.buckets.at(-1)!);
    return Number(value.toPrecision(12));
  });
  return candidates.find(stable) ?? candidates[0]!;
}

/** Whether the annotations read the same for any value within 1e-9 relative of `value`. */
function stableAnnotations(rules: readonly AlertingRule[], labels: Record<string, string>): (value: number) => boolean {
  // Only templates that print the value can change with it; the rules of one alert share theirs.
  const byText = new Map<string, ParsedTemplate>();
  for (const rule of rules) {
    for (const [key, template] of parsedAnnotations(rule)) if (printsValue(template)) byText.set(rule.annotations[key]!, template);
  }
  const templates = [...byText.values()];
  return (value) =>
    templates.every((template) => {
      const exact = renderAlertTemplate(template, labels, value);
      return (
        renderAlertTemplate(template, labels, value * (1 + 1e-9)) === exact &&
        renderAlertTemplate(template, labels, value * (1 - 1e-9)) === exact
      );
    });
}

const crosses = (alert: ThresholdAlert, value: number, level: number): boolean =>
  (alert.direction ?? 'above') === 'above' ? value > level : value < level;

/**
 * For every level, a series just past it fires exactly the levels it crosses after `for` (and
 * nothing before), and one just short of it does not fire that level. An escalation fires
 * `after` later than its level, not an evaluation earlier. Times are on the test file's grid
 * of evaluations (every `grid` minutes): a value can first be seen at the first evaluation on or
 * after the minute it exists.
 */
export function thresholdTests(service: Service, alert: ThresholdAlert, rules: readonly AlertingRule[], grid = 1): TestGroup[] {
  const levelRules = rules.filter((rule) => rule.labels[escalatedLabel] === undefined);
  const escalation = rules.find((rule) => rule.labels[escalatedLabel] !== undefined);
  const onGrid = (minute: number): number => Math.ceil(minute / grid) * grid;
  const forMinutes = Math.ceil(seconds(alert.for ?? '0s') / 60);
  const timed = timing(alert.expr);
  const activeFrom = onGrid(timed.activeFrom);
  // The last evaluation before `for` can have passed, and the first after it surely has.
  const justBefore = onGrid(activeFrom + forMinutes) - grid;
  const steady = onGrid(timed.steadyFrom) + onGrid(forMinutes);
  const stable = stableAnnotations(rules, thresholdLabels(service, alert.expr));
  const crossing = (value: number): AlertingRule[] =>
    levelRules.filter((each) => crosses(alert, value, alert.levels[each.labels.severity as Severity]!));
  const groups: TestGroup[] = [];
  for (const rule of levelRules) {
    const severity = rule.labels.severity as Severity;
    const level = alert.levels[severity]!;
    for (const past of [true, false]) {
      const value = near(alert, level, past, stable);
      const { series, labels } = thresholdSeries(service, alert.expr, value, steady + 2);
      const cases: AlertTestCase[] = [];
      if (justBefore >= 0 && justBefore < steady) cases.push({ eval_time: minutes(justBefore), alertname: alert.name, exp_alerts: [] });
      cases.push({
        eval_time: minutes(steady),
        alertname: alert.name,
        exp_alerts: crossing(value).map((each) => expectedAlert(each, labels, value)),
      });
      groups.push({
        name: `${alert.name} ${severity}: ${value} is ${past ? 'past' : 'short of'} ${level}`,
        interval: '1m',
        input_series: series,
        alert_rule_test: cases,
      });
    }
  }
  if (escalation && alert.escalate) {
    const mildest = levelRules.at(-1)!.labels.severity as Severity;
    const value = near(alert, alert.levels[mildest]!, true, stable);
    const afterMinutes = Math.ceil(seconds(alert.escalate.after) / 60);
    const before = onGrid(activeFrom + forMinutes + afterMinutes) - grid;
    const at = steady + onGrid(afterMinutes);
    const { series, labels } = thresholdSeries(service, alert.expr, value, at + 2);
    const levels = crossing(value).map((each) => expectedAlert(each, labels, value));
    const cases: AlertTestCase[] = [];
    // Before the value has settled the levels' state is not known; by then escalation is the only change.
    if (before >= steady) cases.push({ eval_time: minutes(before), alertname: alert.name, exp_alerts: levels });
    cases.push({ eval_time: minutes(at), alertname: alert.name, exp_alerts: [...levels, expectedAlert(escalation, labels, value)] });
    groups.push({
      name: `${alert.name} escalates to ${alert.escalate.to} after ${alert.escalate.after}: ${value} is past ${alert.levels[mildest]}`,
      interval: '1m',
      input_series: series,
      alert_rule_test: cases,
    });
  }
  if (alert.expr.kind === 'baseline') groups.push(...baselineGuards(service, alert, alert.expr, steady, stable));
  return groups;
}

/** A baseline's guard: with no history, or a past at or under `minimum`, a value past every level fires nothing. */
function baselineGuards(
  service: Service,
  alert: ThresholdAlert,
  expr: BaselineExpr,
  steady: number,
  stable: (value: number) => boolean,
): TestGroup[] {
  const mildest = severities.filter((severity) => alert.levels[severity] !== undefined).at(-1)!;
  const value = near(alert, alert.levels[mildest]!, true, stable);
  const quiet = (name: string, past: number | undefined): TestGroup => ({
    name: `${alert.name}: ${value} % of the past is not judged ${name}`,
    interval: '1m',
    input_series: pastAndPresent(service, expr, value, steady + 2, past),
    alert_rule_test: [{ eval_time: minutes(steady), alertname: alert.name, exp_alerts: [] }],
  });
  const minimum = expr.minimum ?? 0;
  return [
    quiet(`without history ${expr.offset} back`, undefined),
    ...(minimum > 0 ? [quiet(`when the past was at most ${minimum}`, minimum)] : []),
  ];
}
