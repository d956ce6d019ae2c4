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

export interface Counter<L extends string = string> extends MetricBase<L> {
  readonly kind: 'counter';
}
export interface Gauge<L extends string = string> extends MetricBase<L> {
  readonly kind: 'gauge';
}
export interface Histogram<L extends string = string> extends MetricBase<L> {
  readonly kind: 'histogram';
  /** Upper bounds in the metric's unit, ascending, without +Inf. */
  readonly buckets: readonly number[];
}
export type Metric<L extends string = string> = Counter<L> | Gauge<L> | Histogram<L>;
export type MetricKind = Metric['kind'];

interface MetricOptions<L extends string> {
  name: string;
  help: string;
  unit?: MetricUnit;
  labels?: readonly L[];
}

export function counter<const L extends string = never>(options: MetricOptions<L>): Counter<L> {
  return { kind: 'counter', name: options.name, help: options.help, unit: options.unit ?? 'none', labels: options.labels ?? [] };
}

export function gauge<const L extends string = never>(options: MetricOptions<L>): Gauge<L> {
  return { kind: 'gauge', name: options.name, help: options.help, unit: options.unit ?? 'none', labels: options.labels ?? [] };
}

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
