import type { Duration } from './duration.ts';
import type { Counter, Gauge, Histogram, LabelsOf, Metric, MetricUnit } from './metric.ts';
import type { Selector } from './selector.ts';

/** What a threshold compares against; the unit a threshold level is written in. */
export type ValueUnit = 'percent' | 'seconds' | 'bytes' | 'per_second' | 'ratio' | 'none';

/** Labels Prometheus attaches to every series it scrapes, whatever the metric declares. */
export type ScrapeLabel = 'job' | 'instance';

interface Grouped<L extends string> {
  /**
   * Labels kept on the result (one alert per combination): the metric's, or `job` and `instance`
   * (one alert per target); the service's labels are always added.
   */
  readonly by?: readonly (L | ScrapeLabel)[];
}

interface Windowed {
  /** Range of the rate; default 5m. */
  readonly window?: Duration;
}

/** 100 × rate(numerator) / rate(denominator), in percent: error rate, cache miss rate, … */
export interface RatioExpr extends Grouped<string>, Windowed {
  readonly kind: 'ratio';
  readonly numerator: Selector<Counter>;
  readonly denominator: Selector<Counter>;
}

/** The q-quantile of a histogram over the window, in the histogram's unit. */
export interface QuantileExpr extends Grouped<string>, Windowed {
  readonly kind: 'quantile';
  readonly quantile: number;
  readonly histogram: Selector<Histogram>;
}

/** Mean observation of a histogram over the window (sum / count), in the histogram's unit. */
export interface AverageExpr extends Grouped<string>, Windowed {
  readonly kind: 'average';
  readonly histogram: Selector<Histogram>;
}

/** 100 × used / capacity of two gauges (memory, pool usage), in percent. */
export interface GaugePercentExpr extends Grouped<string> {
  readonly kind: 'gaugePercent';
  readonly used: Selector<Gauge>;
  readonly capacity: Selector<Gauge>;
}

/** A gauge's value aggregated with `max`/`min`/`avg`/`sum`, in the gauge's unit. */
export interface GaugeExpr extends Grouped<string> {
  readonly kind: 'gauge';
  readonly gauge: Selector<Gauge>;
  readonly aggregate: 'max' | 'min' | 'avg' | 'sum';
}

/** Per-second rate of a counter (throughput). */
export interface RateExpr extends Grouped<string>, Windowed {
  readonly kind: 'rate';
  readonly counter: Selector<Counter>;
}

/** One input series of a promtool test. */
export interface TestSeries {
  readonly series: string;
  readonly values: string;
}

/**
 * Raw PromQL, the escape hatch. Because monforge tests every alert it emits, a raw expression
 * brings the series that make it evaluate to a given constant value at every 1m step.
 */
export interface PromqlExpr {
  readonly kind: 'promql';
  readonly expr: string;
  readonly unit: ValueUnit;
  /** Labels of the result, apart from the rule's own. */
  readonly resultLabels?: Readonly<Record<string, string>>;
  readonly testSeries: (value: number) => readonly TestSeries[];
  /** The metrics the expression reads, so the dashboard lint knows its series exist. */
  readonly metrics?: readonly Metric[];
}

/** What a baseline compares with its own past: throughput, a mean latency, a gauge. */
export type BaselineCurrent = RateExpr | AverageExpr | GaugeExpr;

/**
 * 100 × the current value / the value `offset` ago ("same time last week"), in percent. The
 * guard for missing history: without data `offset` ago (a new service, retention shorter than
 * the offset), or with a past value not above `minimum` (a quiet night), the expression is
 * empty and nothing fires.
 */
export interface BaselineExpr {
  readonly kind: 'baseline';
  readonly current: BaselineCurrent;
  readonly offset: Duration;
  /** The past value must exceed this, in the current expression's unit; default 0. */
  readonly minimum?: number;
}

/**
 * Capacity trend: the percent of capacity `used` will fill `horizon` from now, extrapolated
 * linearly (`predict_linear`) from the last `lookback` (default 6h). Above 100: full within `horizon`.
 */
export interface ForecastExpr extends Grouped<string> {
  readonly kind: 'forecast';
  readonly used: Selector<Gauge>;
  readonly capacity: Selector<Gauge>;
  readonly horizon: Duration;
  readonly lookback?: Duration;
}

/** What a threshold alert compares. */
export type ThresholdExpr =
  | RatioExpr
  | QuantileExpr
  | AverageExpr
  | GaugePercentExpr
  | GaugeExpr
  | RateExpr
  | PromqlExpr
  | BaselineExpr
  | ForecastExpr;

type CommonLabels<A, B> = LabelsOf<A> & LabelsOf<B>;

/** Threshold expression: percent of two counters. */
export function ratio<N extends Counter, D extends Counter>(
  numerator: Selector<N>,
  denominator: Selector<D>,
  options: Windowed & Grouped<CommonLabels<N, D>> = {},
): RatioExpr {
  return { kind: 'ratio', numerator, denominator, ...options };
}

/** Threshold expression: a histogram quantile, in its unit. */
export function quantile<H extends Histogram>(
  q: number,
  histogram: Selector<H>,
  options: Windowed & Grouped<LabelsOf<H>> = {},
): QuantileExpr {
  return { kind: 'quantile', quantile: q, histogram, ...options };
}

/** Threshold expression: the histogram's mean, in its unit. */
export function average<H extends Histogram>(histogram: Selector<H>, options: Windowed & Grouped<LabelsOf<H>> = {}): AverageExpr {
  return { kind: 'average', histogram, ...options };
}

/** Threshold expression: one gauge as a percent of another. */
export function gaugePercent<U extends Gauge, C extends Gauge>(
  used: Selector<U>,
  capacity: Selector<C>,
  options: Grouped<CommonLabels<U, C>> = {},
): GaugePercentExpr {
  return { kind: 'gaugePercent', used, capacity, ...options };
}

/** Threshold expression: a gauge's value (`aggregate` max by default). */
export function gaugeValue<G extends Gauge>(
  gauge: Selector<G>,
  options: Grouped<LabelsOf<G>> & { aggregate?: GaugeExpr['aggregate'] } = {},
): GaugeExpr {
  return { kind: 'gauge', gauge, aggregate: options.aggregate ?? 'max', ...(options.by ? { by: options.by } : {}) };
}

/** Threshold expression: per-second rate of a counter. */
export function rate<C extends Counter>(counter: Selector<C>, options: Windowed & Grouped<LabelsOf<C>> = {}): RateExpr {
  return { kind: 'rate', counter, ...options };
}

/** "Compared to the same time last week" by default: `baseline(rate(requests), { minimum: 100 })`. */
export function baseline(current: BaselineCurrent, options: { offset?: Duration; minimum?: number } = {}): BaselineExpr {
  return { kind: 'baseline', current, offset: options.offset ?? '1w', ...(options.minimum !== undefined && { minimum: options.minimum }) };
}

/** "Full within 4 h": `forecast(select(diskUsed), select(diskSize), { horizon: '4h' })` with a level of 100. */
export function forecast<U extends Gauge, C extends Gauge>(
  used: Selector<U>,
  capacity: Selector<C>,
  options: Grouped<CommonLabels<U, C>> & { horizon: Duration; lookback?: Duration },
): ForecastExpr {
  return { kind: 'forecast', used, capacity, ...options };
}

export const defaultForecastLookback: Duration = '6h';

/** Threshold expression in raw PromQL, with its own test series. */
export function promql(options: Omit<PromqlExpr, 'kind'>): PromqlExpr {
  return { kind: 'promql', ...options };
}

export function unitOfMetric(unit: MetricUnit): ValueUnit {
  if (unit === 'seconds' || unit === 'bytes' || unit === 'percent' || unit === 'ratio') return unit;
  return 'none';
}
