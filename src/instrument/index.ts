// Typed prom-client metrics made from the same definitions the rules are compiled from, so
// the service and its alerts can never disagree on a name, a label or a bucket.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Counter as CounterDef, Gauge as GaugeDef, Histogram as HistogramDef, Metric } from '../model/metric.ts';

type LabelValue = string | number;
/** Every label of the definition, no other: a missing or unknown key is a compile error. */
export type Labels<L extends string> = Readonly<Record<L, LabelValue>>;
/** Metrics without labels take no label object at all. */
type WithLabels<L extends string, Rest extends unknown[]> = [L] extends [never] ? Rest : [labels: Labels<L>, ...Rest];

/** A typed prom-client counter: `inc` with exactly the definition's labels. */
export interface TypedCounter<L extends string> {
  inc(...args: WithLabels<L, [value?: number]>): void;
}
/** A typed prom-client gauge: `set`, `inc`, `dec` with exactly the definition's labels. */
export interface TypedGauge<L extends string> {
  set(...args: WithLabels<L, [value: number]>): void;
  inc(...args: WithLabels<L, [value?: number]>): void;
  dec(...args: WithLabels<L, [value?: number]>): void;
}
/** A typed prom-client histogram: `observe` and `startTimer` with exactly the definition's labels. */
export interface TypedHistogram<L extends string> {
  observe(...args: WithLabels<L, [value: number]>): void;
  /** Starts a timer; calling the result observes the elapsed seconds. */
  startTimer(...args: WithLabels<L, []>): () => number;
}

/** What `instrument` returns. */
export type Instrumented<M> =
  M extends CounterDef<infer L>
    ? TypedCounter<L>
    : M extends GaugeDef<infer L>
      ? TypedGauge<L>
      : M extends HistogramDef<infer L>
        ? TypedHistogram<L>
        : never;

/**
 * Splits `(labels?, value?)` call arguments. Untyped callers (generic code over many metrics)
 * may pass `{}` as the labels of a metric without labels.
 */
function split(metric: Metric, args: unknown[]): { labels: Record<string, LabelValue>; rest: unknown[] } {
  const hasLabels = metric.labels.length > 0 || (typeof args[0] === 'object' && args[0] !== null);
  return hasLabels ? { labels: args[0] as Record<string, LabelValue>, rest: args.slice(1) } : { labels: {}, rest: args };
}

function create(metric: Metric, registry: Registry): unknown {
  const common = { name: metric.name, help: metric.help, labelNames: [...metric.labels], registers: [registry] };
  switch (metric.kind) {
    case 'counter': {
      const counter = new Counter(common);
      return {
        inc: (...args: unknown[]) => {
          const { labels, rest } = split(metric, args);
          counter.inc(labels, (rest[0] as number | undefined) ?? 1);
        },
      };
    }
    case 'gauge': {
      const gauge = new Gauge(common);
      return {
        set: (...args: unknown[]) => {
          const { labels, rest } = split(metric, args);
          gauge.set(labels, rest[0] as number);
        },
        inc: (...args: unknown[]) => {
          const { labels, rest } = split(metric, args);
          gauge.inc(labels, (rest[0] as number | undefined) ?? 1);
        },
        dec: (...args: unknown[]) => {
          const { labels, rest } = split(metric, args);
          gauge.dec(labels, (rest[0] as number | undefined) ?? 1);
        },
      };
    }
    case 'histogram': {
      const histogram = new Histogram({ ...common, buckets: [...metric.buckets] });
      return {
        observe: (...args: unknown[]) => {
          const { labels, rest } = split(metric, args);
          histogram.observe(labels, rest[0] as number);
        },
        startTimer: (...args: unknown[]) => histogram.startTimer(split(metric, args).labels),
      };
    }
  }
}

/**
 * prom-client metrics for a record of metric definitions, registered in `registry`:
 * `instrument({ httpRequests }).httpRequests.inc({ route, method, code })`.
 */
export function instrument<const M extends Record<string, Metric>>(
  definitions: M,
  registry: Registry = new Registry(),
): { readonly [K in keyof M]: Instrumented<M[K]> } & { readonly registry: Registry } {
  const made: Record<string, unknown> = { registry };
  for (const [key, metric] of Object.entries(definitions)) made[key] = create(metric, registry);
  return made as { readonly [K in keyof M]: Instrumented<M[K]> } & { readonly registry: Registry };
}
