import type { Duration } from './duration.ts';
import type { Counter, Histogram } from './metric.ts';
import type { Selector } from './selector.ts';

/** The two multi-window multi-burn-rate tiers of the SRE workbook. */
export const burnTiers = ['page', 'ticket'] as const;
/** A burn-rate tier: `'page'` (fast burn) or `'ticket'` (slow burn). */
export type BurnTier = (typeof burnTiers)[number];

/** A burn-rate tier's switch and `for`. */
export interface TierOptions {
  /** Drop this tier's alert (e.g. no ticket alerts for a best-effort SLO). */
  readonly disabled?: boolean;
  /** How long the burn must last before the alert fires. */
  readonly for?: Duration;
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

/** A ratio or latency SLO. */
export type Slo = RatioSlo | LatencySlo;

type Without<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** An error-ratio SLO (objective in percent, 30d by default). */
export function ratioSlo(options: Without<RatioSlo, 'kind'>): RatioSlo {
  return { kind: 'ratio', ...options } as RatioSlo;
}

/** A latency SLO: the share of requests faster than a bucket of a histogram. */
export function latencySlo(options: Omit<LatencySlo, 'kind'>): LatencySlo {
  return { kind: 'latency', ...options };
}

export const defaultSloWindow: Duration = '30d';
