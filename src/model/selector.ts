import type { Counter, Gauge, Histogram, LabelsOf, Metric } from './metric.ts';

export type MatchOp = '=' | '!=' | '=~' | '!~';

/** An operator and a value. */
export interface Matcher {
  readonly op: MatchOp;
  readonly value: string;
}

/** A plain string means equality; use `not`, `re`, `notRe` for the other operators. */
export type MatcherValue = string | Matcher;

/** Matcher `!=`. */
export const not = (value: string): Matcher => ({ op: '!=', value });
/** RE2 regex, fully anchored by Prometheus (`5..` matches `500`, not `1500`). */
export const re = (pattern: string): Matcher => ({ op: '=~', value: pattern });
/** Matcher `!~`. */
export const notRe = (pattern: string): Matcher => ({ op: '!~', value: pattern });

/** A metric without labels gets `Record<string, never>`: an empty mapped type would accept any key. */
export type Matchers<L extends string> = [L] extends [never] ? Readonly<Record<string, never>> : { readonly [K in L]?: MatcherValue };

/** A set of series of one metric. The matcher keys are checked against the metric's label names. */
export interface Selector<M extends Metric = Metric> {
  readonly metric: M;
  readonly matchers: Readonly<Record<string, MatcherValue>>;
}

export type CounterSelector = Selector<Counter>;
export type GaugeSelector = Selector<Gauge>;
export type HistogramSelector = Selector<Histogram>;

/**
 * Selects series of `metric`. Only the metric's own label names are accepted, so a typo
 * (`{ stauts: '500' }`) is a compile error instead of an alert that never fires.
 */
export function select<M extends Metric>(metric: M, matchers: Matchers<LabelsOf<M>> = {}): Selector<M> {
  return { metric, matchers: matchers as Record<string, MatcherValue> };
}

export function matcherOf(value: MatcherValue): Matcher {
  return typeof value === 'string' ? { op: '=', value } : value;
}

/** `code=~"5.."`: one matcher as PromQL writes it (JSON string escaping is a subset of PromQL's). */
export function renderMatcher(label: string, value: MatcherValue): string {
  const matcher = matcherOf(value);
  return `${label}${matcher.op}${JSON.stringify(matcher.value)}`;
}

/** `{code=~"5..",route="/"}`: a selector's matchers, sorted by label. */
export function renderMatchers(matchers: Selector['matchers']): string {
  return `{${Object.keys(matchers)
    .sort()
    .map((label) => renderMatcher(label, matchers[label]!))
    .join(',')}}`;
}
