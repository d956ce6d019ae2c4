import type { Duration } from './duration.ts';
import type { BaselineExpr, PromqlExpr, TestSeries, ThresholdExpr } from './expr.ts';
import type { Metric } from './metric.ts';
import type { Selector } from './selector.ts';
import { thresholdSelectors } from './walk.ts';

// Rule groups of your own: Prometheus alerting and recording rules written as PromQL, in a
// group with its own name and interval, owned by a service and a team. What `monforge import`
// turns rule files into, and what a team writes when a threshold alert does not fit (an alert
// whose expression holds its own comparison, a recording rule of its own).

/**
 * PromQL with typed selectors in it:
 * pql`sum by (job) (rate(${select(httpRequests, { code: re('5..') })}[5m])) > 1`. A selector
 * renders as `name{label="value",…}`, so a metric or label name that does not exist is a
 * compile error; the text around it is kept as written (its common indentation removed). Like any
 * template literal, a backslash in the PromQL is written twice.
 */
export interface PromqlText {
  readonly kind: 'pql';
  readonly strings: readonly string[];
  /** What goes between `strings`: selectors, or other PromQL text. */
  readonly values: readonly (Selector | PromqlText)[];
}

/** PromQL with typed selectors, as a tagged template: pql`rate(${select(requests)}[5m]) > 1`. */
export function pql(strings: TemplateStringsArray, ...values: (Selector | PromqlText)[]): PromqlText {
  return { kind: 'pql', strings: [...strings], values };
}

/**
 * A typed helper where a rule's expression is exactly one (`rate`, `ratio`, `gaugePercent`,
 * `gaugeValue`, …): rendered without a service's labels, grouped by its own `by`.
 */
export type TypedExpr = Exclude<ThresholdExpr, PromqlExpr | BaselineExpr>;

/** A typed expression compared with a number: `above(rate(select(requests)), 100)`. */
export interface Comparison {
  readonly kind: 'comparison';
  readonly expr: TypedExpr;
  readonly op: '>' | '<';
  readonly value: number;
}

/** `expr > value`. */
export const above = (expr: TypedExpr, value: number): Comparison => ({ kind: 'comparison', expr, op: '>', value });
/** `expr < value`. */
export const below = (expr: TypedExpr, value: number): Comparison => ({ kind: 'comparison', expr, op: '<', value });

/** A rule's expression: PromQL as a string, with typed selectors (`pql`), or a typed helper. */
export type RuleExpr = string | PromqlText | TypedExpr | Comparison;

/** One alert of a promtool unit test: every label and annotation it carries. */
export interface ExpectedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * A promtool test case of one alert: input series, and the alerts of its name firing at `at`.
 * `fires: []` is a healthy case (nothing fires).
 */
export interface AlertCase {
  /** What the case shows: `fires`, `stays quiet`, or the carried-over test's name. */
  readonly name: string;
  /** Between two samples of `series`; default 1m. */
  readonly interval?: Duration;
  readonly series: readonly TestSeries[];
  /** When the expectation is checked, counted from the first sample. */
  readonly at: Duration;
  readonly fires: readonly ExpectedAlert[];
}

/** A Prometheus alerting rule: the expression holds its own comparison (`… > 0.05`). */
export interface AlertRule {
  readonly kind: 'alert';
  /** The `alertname`; several rules of a group may share it (one per severity). */
  readonly name: string;
  readonly expr: RuleExpr;
  readonly for?: Duration;
  readonly keepFiringFor?: Duration;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** promtool cases: at least one that fires, and a healthy one. */
  readonly tests?: readonly AlertCase[];
  /** Why it has no case that fires; `monforge coverage` lists it. */
  readonly untested?: string;
}

/** A Prometheus recording rule. */
export interface RecordRule {
  readonly kind: 'record';
  /** The series it records, e.g. `job:http_requests:rate5m`. */
  readonly name: string;
  readonly expr: RuleExpr;
  readonly labels?: Readonly<Record<string, string>>;
}

/** An alerting or a recording rule. */
export type Rule = AlertRule | RecordRule;

/** A group of rules Prometheus evaluates together, in order, every `interval`. */
export interface RuleGroup {
  readonly kind: 'ruleGroup';
  /** The group's name in the rule file (unique within its service). */
  readonly name: string;
  /** The service the rules are about: they compile to its rule file. */
  readonly service: string;
  /** The team that owns the rules: a defined team. */
  readonly team: string;
  /** Its own evaluation interval; default the global one. */
  readonly interval?: Duration;
  /** At most this many alerts or series per evaluation (Prometheus `limit`); 0 or none: no limit. */
  readonly limit?: number;
  readonly rules: readonly Rule[];
}

/** A Prometheus rule group of your own: its rules, evaluated in order every `interval`, in its service's rule file. */
export function defineRuleGroup(options: Omit<RuleGroup, 'kind'>): RuleGroup {
  return { kind: 'ruleGroup', ...options };
}

/** An alerting rule whose expression holds its own comparison, with its promtool cases. */
export function alert(options: Omit<AlertRule, 'kind'>): AlertRule {
  return { kind: 'alert', ...options };
}

/** A recording rule: the series `name` recorded from `expr`. */
export function record(options: Omit<RecordRule, 'kind'>): RecordRule {
  return { kind: 'record', ...options };
}

/**
 * Whether a case fires this rule: one of its alerts carries every label the rule sets (a label
 * templated from the series, `{{ … }}`, can carry any value).
 */
export function firesRule(test: Pick<AlertCase, 'fires'>, rule: Pick<AlertRule, 'labels'>): boolean {
  return test.fires.some((alert) =>
    Object.entries(rule.labels ?? {}).every(([label, value]) => value.includes('{{') || alert.labels[label] === value),
  );
}

/** Every selector inside an expression, in order. */
export function exprSelectors(expr: RuleExpr): Selector[] {
  if (typeof expr === 'string') return [];
  if (expr.kind === 'pql') return expr.values.flatMap((value) => ('metric' in value ? [value] : exprSelectors(value)));
  return thresholdSelectors(expr.kind === 'comparison' ? expr.expr : expr).map(([, selector]) => selector);
}

/** The metrics a group's expressions read through typed selectors. */
export function groupMetrics(group: Pick<RuleGroup, 'rules'>): Metric[] {
  return group.rules.flatMap((rule) => exprSelectors(rule.expr).map((selector) => selector.metric));
}
