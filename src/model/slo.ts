import type { Duration } from './duration.ts';
import type { Counter, Gauge, Histogram } from './metric.ts';
import type { Selector } from './selector.ts';

/** The two multi-window multi-burn-rate tiers of the SRE workbook. */
export const burnTiers = ['page', 'ticket'] as const;
/** A burn-rate tier: `'page'` (fast burn) or `'ticket'` (slow burn). */
export type BurnTier = (typeof burnTiers)[number];

/** A burn-rate tier's switch and `for`, and labels and annotations of its own. */
export interface TierOptions {
  /** Drop this tier's alert (e.g. no ticket alerts for a best-effort SLO). */
  readonly disabled?: boolean;
  /** How long the burn must last before the alert fires. */
  readonly for?: Duration;
  /** Labels of this tier's alert only, e.g. the Slack channel a ticket goes to. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations of this tier's alert only; they win over the SLO's. */
  readonly annotations?: Readonly<Record<string, string>>;
}

interface SloBase {
  /** Lower-case identifier, unique within the service (label `slo`). */
  readonly name: string;
  readonly description?: string;
  /** Objective in percent, e.g. 99.9. */
  readonly objective: number;
  /** Compliance window; default 30d. */
  readonly window?: Duration;
  readonly tiers?: { readonly [T in BurnTier]?: TierOptions };
  /**
   * Labels every recording rule and alert of this SLO carries (Sloth's `labels`), besides
   * `service` and `slo`; `team`, `severity` and `tier` are monforge's own.
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The name of both burn alerts, told apart by their `tier` label (Sloth's `alerting.name`);
   * default one name per tier, `<Service><Slo>BudgetBurnPage` and `…Ticket`.
   */
  readonly alertName?: string;
  /** Annotations of both burn alerts; a `summary` or `description` here replaces monforge's. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Share of bad events among all events: either `errors/total` or `1 - good/total`. */
export type RatioSlo = SloBase & { readonly kind: 'ratio'; readonly total: Selector<Counter> } & (
    | { readonly errors: Selector<Counter>; readonly good?: never }
    | { readonly good: Selector<Counter>; readonly errors?: never }
  );

/** Share of requests slower than `threshold`, which must be one of the histogram's buckets. */
export interface LatencySlo extends SloBase {
  readonly kind: 'latency';
  readonly histogram: Selector<Histogram>;
  /** In the histogram's unit (seconds). */
  readonly threshold: number;
}

/** The comparisons a gauge sample can pass: `below` is `<`, `atMost` `<=`, `above` `>`, `atLeast` `>=`. */
export const gaugeBounds = ['below', 'atMost', 'above', 'atLeast'] as const;
export type GaugeBoundKind = (typeof gaugeBounds)[number];

/** When a gauge sample is good: exactly one bound, `{ below }`, `{ atMost }`, `{ above }` or `{ atLeast }` a value. */
export type GaugeBound = {
  readonly [K in GaugeBoundKind]: { readonly [B in K]: number } & { readonly [B in Exclude<GaugeBoundKind, K>]?: never };
}[GaugeBoundKind];

/**
 * Share of a gauge's samples that are bad. With a bound, every series' value counts once per
 * rule evaluation, good when it meets `good` (OpenSLO's `thresholdMetric` with Occurrences
 * budgeting; Sloth's `count(gauge < x)` over a subquery). With `good: 'value'`, every scraped
 * sample of a gauge between 0 and 1 counts as that share good and the rest bad (`up`, a
 * satisfaction ratio: Sloth's raw `1 - sum_over_time / count_over_time`).
 */
export interface GaugeSlo extends SloBase {
  readonly kind: 'gauge';
  readonly gauge: Selector<Gauge>;
  /** When a sample is good, e.g. `{ atLeast: 0.75 }`; or `'value'`: the sample is its own share of good. */
  readonly good: GaugeBound | 'value';
}

/** A ratio, latency or gauge SLO. */
export type Slo = RatioSlo | LatencySlo | GaugeSlo;
export type SloKind = Slo['kind'];

type Without<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** An error-ratio SLO (objective in percent, 30d by default). */
export function ratioSlo(options: Without<RatioSlo, 'kind'>): RatioSlo {
  return { kind: 'ratio', ...options } as RatioSlo;
}

/** A latency SLO: the share of requests faster than a bucket of a histogram. */
export function latencySlo(options: Omit<LatencySlo, 'kind'>): LatencySlo {
  return { kind: 'latency', ...options };
}

/** A gauge SLO: the share of a gauge's samples that meet a bound, or the mean of a 0–1 gauge (`good: 'value'`). */
export function gaugeSlo(options: Omit<GaugeSlo, 'kind'>): GaugeSlo {
  return { kind: 'gauge', ...options };
}

/** The bound of a gauge SLO as an operator and a value. */
export function gaugeBound(good: GaugeBound): { readonly kind: GaugeBoundKind; readonly value: number } {
  const bounds: Partial<Record<GaugeBoundKind, number>> = good;
  const kind = gaugeBounds.find((each) => bounds[each] !== undefined)!;
  return { kind, value: bounds[kind]! };
}

/** PromQL's comparison for a good sample, and for a bad one (its negation). */
export const boundOperators: Record<GaugeBoundKind, { readonly good: string; readonly bad: string }> = {
  below: { good: '<', bad: '>=' },
  atMost: { good: '<=', bad: '>' },
  above: { good: '>', bad: '<=' },
  atLeast: { good: '>=', bad: '<' },
};

export const defaultSloWindow: Duration = '30d';
