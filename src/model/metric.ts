/** Units drawn on dashboards and used to phrase thresholds; `seconds`/`bytes` follow Prometheus naming. */
export type MetricUnit =
  | 'seconds'
  | 'bytes'
  | 'ratio'
  | 'percent'
  | 'requests'
  | 'connections'
  | 'operations'
  | 'items'
  | 'timestamp_seconds'
  | 'none';

interface MetricBase<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly unit: MetricUnit;
  /** Instrumentation label names; selectors accept only these (plus the service's target labels). */
  readonly labels: readonly L[];
}

/** A counter, typed by its label names: it only goes up (`rate()` reads it). */
export interface Counter<L extends string = string> extends MetricBase<L> {
  readonly kind: 'counter';
}
/** A gauge, typed by its label names: a value that goes up and down. */
export interface Gauge<L extends string = string> extends MetricBase<L> {
  readonly kind: 'gauge';
}
/** A histogram, typed by its label names, with its bucket bounds. */
export interface Histogram<L extends string = string> extends MetricBase<L> {
  readonly kind: 'histogram';
  /** Upper bounds in the metric's unit, ascending, without +Inf. */
  readonly buckets: readonly number[];
}
/** Any metric. */
export type Metric<L extends string = string> = Counter<L> | Gauge<L> | Histogram<L>;
export type MetricKind = Metric['kind'];

interface MetricOptions<L extends string> {
  name: string;
  help: string;
  unit?: MetricUnit;
  labels?: readonly L[];
}

/** A counter metric (the name ends in `_total`). */
export function counter<const L extends string = never>(options: MetricOptions<L>): Counter<L> {
  return { kind: 'counter', name: options.name, help: options.help, unit: options.unit ?? 'none', labels: options.labels ?? [] };
}

/** A gauge metric. */
export function gauge<const L extends string = never>(options: MetricOptions<L>): Gauge<L> {
  return { kind: 'gauge', name: options.name, help: options.help, unit: options.unit ?? 'none', labels: options.labels ?? [] };
}

/** A histogram metric; latency SLO thresholds must be buckets. */
export function histogram<const L extends string = never>(options: MetricOptions<L> & { buckets: readonly number[] }): Histogram<L> {
  return {
    kind: 'histogram',
    name: options.name,
    help: options.help,
    unit: options.unit ?? 'seconds',
    labels: options.labels ?? [],
    buckets: options.buckets,
  };
}

/** The label names of a metric, as a union type. */
export type LabelsOf<M> = M extends Metric<infer L> ? L : never;
