import type { Duration } from './duration.ts';
import type { Counter, Gauge, Histogram, LabelsOf, Metric, MetricUnit } from './metric.ts';
import type { Selector } from './selector.ts';

/** What a threshold compares against; the unit a threshold level is written in. */
export type ValueUnit = 'percent' | 'seconds' | 'bytes' | 'per_second' | 'ratio' | 'none';

interface Grouped<L extends string> {
  /** Labels kept on the result (one alert per combination); the service's labels are always added. */
  readonly by?: readonly L[];
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

export type ThresholdExpr = RatioExpr | QuantileExpr | AverageExpr | GaugePercentExpr | GaugeExpr | RateExpr | PromqlExpr;

type CommonLabels<A, B> = LabelsOf<A> & LabelsOf<B>;

export function ratio<N extends Counter, D extends Counter>(
  numerator: Selector<N>,
  denominator: Selector<D>,
  options: Windowed & Grouped<CommonLabels<N, D>> = {},
): RatioExpr {
  return { kind: 'ratio', numerator, denominator, ...options };
}

export function quantile<H extends Histogram>(
  q: number,
  histogram: Selector<H>,
  options: Windowed & Grouped<LabelsOf<H>> = {},
): QuantileExpr {
  return { kind: 'quantile', quantile: q, histogram, ...options };
}

export function average<H extends Histogram>(histogram: Selector<H>, options: Windowed & Grouped<LabelsOf<H>> = {}): AverageExpr {
  return { kind: 'average', histogram, ...options };
}

export function gaugePercent<U extends Gauge, C extends Gauge>(
  used: Selector<U>,
  capacity: Selector<C>,
  options: Grouped<CommonLabels<U, C>> = {},
): GaugePercentExpr {
  return { kind: 'gaugePercent', used, capacity, ...options };
}

export function gaugeValue<G extends Gauge>(
  gauge: Selector<G>,
  options: Grouped<LabelsOf<G>> & { aggregate?: GaugeExpr['aggregate'] } = {},
): GaugeExpr {
  return { kind: 'gauge', gauge, aggregate: options.aggregate ?? 'max', ...(options.by ? { by: options.by } : {}) };
}

export function rate<C extends Counter>(counter: Selector<C>, options: Windowed & Grouped<LabelsOf<C>> = {}): RateExpr {
  return { kind: 'rate', counter, ...options };
}

export function promql(options: Omit<PromqlExpr, 'kind'>): PromqlExpr {
  return { kind: 'promql', ...options };
}

export function unitOfMetric(unit: MetricUnit): ValueUnit {
  if (unit === 'seconds' || unit === 'bytes' || unit === 'percent' || unit === 'ratio') return unit;
  return 'none';
}
