import type { Duration } from './duration.ts';
import type { ThresholdExpr } from './expr.ts';
import type { AlertHealthSignal } from './health-signal.ts';
import type { Severity } from './severity.ts';
import type { Escalation, PolicyAlertKind } from './signals.ts';

/**
 * An alert on a value crossing levels. One rule is emitted per level, all under the same
 * alert name with their own `severity`, so Alertmanager can let critical inhibit warning.
 */
export interface ThresholdAlert {
  /** CamelCase, unique within the service. */
  readonly name: string;
  readonly expr: ThresholdExpr;
  /** `above` fires when the value exceeds a level; `below` when it falls under. */
  readonly direction?: 'above' | 'below';
  /** Level per severity, in the expression's unit (percent for ratios). */
  readonly levels: { readonly [S in Severity]?: number };
  readonly for?: Duration;
  /** Alert templates: `{{ $labels.name }}` and `{{ $value | humanize }}`-style actions. */
  readonly summary: string;
  readonly description: string;
  /** Overrides the runbook URL derived from the platform's runbook base. */
  readonly runbook?: string;
  /** The health-score component a firing alert lowers; derived from the expression when omitted (see model/health.ts). */
  readonly healthSignal?: AlertHealthSignal;
  /** The policy alert this one provides: the service gets no policy alert of that kind. */
  readonly covers?: PolicyAlertKind;
  /** Fire at a higher severity once the mildest level has held `after` beyond `for`. */
  readonly escalate?: Escalation;
  /** Set by monforge on the alerts a policy generates: the policy's name (not for definitions). */
  readonly policy?: string;
}

/** A typed threshold alert outside `defineService` (identity). */
export function thresholdAlert(options: ThresholdAlert): ThresholdAlert {
  return options;
}
