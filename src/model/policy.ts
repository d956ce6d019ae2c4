import type { AbsentRule } from './absent.ts';
import type { Duration } from './duration.ts';
import type { ServiceTier } from './service.ts';
import type { Severity } from './severity.ts';
import type { Escalation, ResourceKind } from './signals.ts';
import { made } from './made.ts';

// Coverage by policy: what every service of a tier gets without its author remembering it. A
// policy without `tiers` is the platform default; a tier's own policy wins over it, kind by
// kind, and a service's own alert that `covers` a kind, or an opt-out with a reason, wins over both.

/** Levels per severity in the kind's unit, how long they must hold, and an optional escalation. */
export interface PolicyLevels {
  readonly levels: { readonly [S in Severity]?: number };
  readonly for?: Duration;
  readonly escalate?: Escalation;
}

/** Percent of the service's requests that failed (its `traffic`), over `window` (default 5m). */
export interface ErrorRatioPolicy extends PolicyLevels {
  readonly window?: Duration;
}

/** A quantile of the service's `traffic.latency` histogram, levels in its unit (seconds). */
export interface LatencyQuantilePolicy extends PolicyLevels {
  readonly kind: 'quantile';
  readonly quantile: number;
  readonly window?: Duration;
}

/**
 * The latency spike of docs/design.md: the average over `window` (default 2m) against the threshold of the
 * service's latency SLO; levels are multiples of that threshold (1.5 = 50 % above it).
 */
export interface LatencySpikePolicy extends PolicyLevels {
  readonly kind: 'spike';
  readonly window?: Duration;
}

/** A `LatencyQuantilePolicy` or a `LatencySpikePolicy`. */
export type LatencyPolicy = LatencyQuantilePolicy | LatencySpikePolicy;

/** "Full within `horizon`": the usage trend of the last `lookback` (default 6h) reaches 100 % of capacity. */
export interface ForecastPolicy {
  readonly horizon: Duration;
  readonly lookback?: Duration;
  readonly severity: Severity;
  readonly for?: Duration;
}

/** Percent of the resource's capacity in use (from the resource catalog), and optionally its trend. */
export interface SaturationPolicy extends PolicyLevels {
  readonly forecast?: ForecastPolicy;
}

/** What `definePolicy` returns. */
export interface Policy {
  readonly kind: 'policy';
  /** Lower-case identifier; generated alerts name it in their description. */
  readonly name: string;
  readonly description?: string;
  /** The tiers it applies to; without, every service (the platform default). */
  readonly tiers?: readonly [ServiceTier, ...ServiceTier[]];
  readonly errorRatio?: ErrorRatioPolicy;
  readonly latency?: LatencyPolicy;
  /** Percent of the service's targets down (`up` = 0). */
  readonly liveness?: PolicyLevels;
  readonly saturation?: { readonly [R in ResourceKind]?: SaturationPolicy };
  /** Severity and `for` of the absent alerts (model/absent.ts). */
  readonly absent?: { readonly targets?: AbsentRule; readonly metrics?: AbsentRule };
}

/** Alerts every matching service gets unless it opts out. */
export function definePolicy(options: Omit<Policy, 'kind'>): Policy {
  return made({ kind: 'policy', ...options });
}
