import type { Duration } from './duration.ts';
import type { Severity } from './severity.ts';

// Silent failures: a target that leaves service discovery has no `up` series, and a renamed
// metric makes every rule reading it return nothing, so none of them can fire. Every service
// gets two absent alerts unless it opts out (model/absent-detection.ts): its targets vanished,
// and, per metric its rules read, that metric missing while its targets are up.

/** Severity and `for` of an absent alert. */
export interface AbsentRule {
  readonly severity: Severity;
  readonly for: Duration;
}

/** A service's absent-detection settings and exempt metrics. */
export interface AbsentOptions {
  /** `<Service>TargetsAbsent`: no `up` series matches the service selector. */
  readonly targets?: Partial<AbsentRule>;
  /** `<Service>MetricAbsent`: a metric its rules read has no series while a target is up. */
  readonly metrics?: Partial<AbsentRule>;
  /**
   * Metrics whose series may be missing while the target is up (e.g. created on first use), each
   * with the reason; or selectors (`'http_requests_total{code=~"5.."}'`) whose series may be,
   * while the metric itself must exist (`check --prometheus` reads both).
   */
  readonly exempt?: { readonly [metric: string]: string };
}

/** Used where neither the service nor a policy says otherwise. */
export const defaultAbsent: { readonly targets: AbsentRule; readonly metrics: AbsentRule } = {
  targets: { severity: 'warning', for: '5m' },
  metrics: { severity: 'warning', for: '15m' },
};
