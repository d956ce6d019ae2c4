import type { Duration } from './duration.ts';
import type { Receiver } from './receiver.ts';
import type { Severity } from './severity.ts';
import type { EventWindow, TimeInterval } from './time-interval.ts';
import { made } from './made.ts';

/** One rung of the escalation ladder: Alertmanager's timing for one severity. */
export interface Ladder {
  /** Wait for more alerts of a new group before the first notification. */
  readonly groupWait: Duration;
  /** Wait before notifying about alerts added to a group already notified. */
  readonly groupInterval: Duration;
  /** Re-send a still-firing group after this; at least 10m (docs/design.md: identical alerts are not re-sent within 10 minutes). */
  readonly repeatInterval: Duration;
}

/** docs/design.md: critical is immediate, warning within 15 minutes, info within the hour; identical alerts never re-sent within 10 minutes. */
export const defaultLadder: Readonly<Record<Severity, Ladder>> = {
  critical: { groupWait: '10s', groupInterval: '1m', repeatInterval: '30m' },
  high: { groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' },
  warning: { groupWait: '1m', groupInterval: '5m', repeatInterval: '4h' },
  info: { groupWait: '5m', groupInterval: '1h', repeatInterval: '24h' },
};

/** The remediation receiver hears of an alert at once; it dedupes re-sends itself. */
export const remediationLadder: Ladder = { groupWait: '0s', groupInterval: '1m', repeatInterval: '1h' };

/** docs/design.md: identical alerts are not re-sent within 10 minutes. */
export const minRepeatInterval: Duration = '10m';

/**
 * Mutes non-critical alerts during `interval`: those of `teams`, and of `services` together with
 * every service that depends on them (through `dependsOn`, directly or not); of every team when
 * neither is given.
 */
export interface MaintenanceWindow<I extends string = string> {
  readonly interval: I;
  readonly teams?: readonly string[];
  readonly services?: readonly string[];
}

/** Where info alerts go: a digest / ticket queue, notified rarely. */
export interface Digest<I extends string = string> {
  readonly receivers: readonly [Receiver, ...Receiver[]];
  /** Deliver only during these intervals (e.g. business hours); held back otherwise. */
  readonly during?: readonly I[];
  /**
   * The longest an info alert waits (docs/design.md: info within the hour): outside `during`, alerts still
   * firing after this long are delivered anyway (group_wait and group_interval of this length).
   */
  readonly maxHold?: Duration;
}

/** The platform's routing policy (docs/design.md, "Routing and noise"); at most one. */
export interface Routing<I extends string = string> {
  readonly kind: 'routing';
  /** Notified of every critical alert, besides the owning team's on-call. */
  readonly stakeholders?: readonly [Receiver, ...Receiver[]];
  /** Info alerts of teams without their own `notify.info`. */
  readonly digest?: Digest<I>;
  /** Overrides of the default escalation ladder, per severity. */
  readonly ladder?: { readonly [S in Severity]?: Partial<Ladder> };
  /**
   * Labels that tell independent environments apart (e.g. `cluster`): alerts are grouped per
   * environment, and an alert only inhibits alerts of its own environment.
   */
  readonly environmentLabels?: readonly string[];
  readonly timeIntervals?: { readonly [K in I]: TimeInterval };
  readonly maintenance?: readonly MaintenanceWindow<I>[];
  readonly events?: readonly EventWindow[];
}

type RoutingOptions<I extends string> = Omit<Routing<I>, 'kind' | 'digest' | 'maintenance'> & {
  readonly digest?: Digest<NoInfer<I>>;
  readonly maintenance?: readonly MaintenanceWindow<NoInfer<I>>[];
};

/** Interval names are checked: a maintenance window or digest naming an undefined interval does not compile. */
export function defineRouting<const I extends string = never>(options: RoutingOptions<I>): Routing {
  return made({ kind: 'routing', ...options });
}

/** The ladder in force for a severity: the defaults with the routing policy's overrides. */
export function ladderFor(routing: Pick<Routing, 'ladder'> | undefined, severity: Severity): Ladder {
  const fallback = defaultLadder[severity];
  const own = routing?.ladder?.[severity];
  return {
    groupWait: own?.groupWait ?? fallback.groupWait,
    groupInterval: own?.groupInterval ?? fallback.groupInterval,
    repeatInterval: own?.repeatInterval ?? fallback.repeatInterval,
  };
}
