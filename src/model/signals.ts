import type { Duration } from './duration.ts';
import type { Severity } from './severity.ts';

// What every service is expected to have, in one place: the alert kinds a policy can give it
// (model/policy.ts), and the signals `monforge coverage` reports and a service may opt out of.

/** Alert kinds a policy gives every matching service; a service's own alert that `covers` one replaces the policy's. */
export const policyAlertKinds = ['errorRatio', 'latency', 'liveness', 'memory', 'cpu', 'disk'] as const;
/** The kinds of alert a policy generates: `errorRatio`, `latency`, `liveness`, `memory`, `cpu`, `disk`. */
export type PolicyAlertKind = (typeof policyAlertKinds)[number];

/** Saturation is measured per resource, from the resource catalog (model/resources.ts). */
export const resourceKinds = ['memory', 'cpu', 'disk'] as const;
/** The resources saturation alerts watch: `memory`, `cpu`, `disk`. */
export type ResourceKind = (typeof resourceKinds)[number];

/** Signals `monforge coverage` reports by the same name as a service opts out of them. */
export const serviceSignals = ['availabilitySlo', 'latencySlo', 'errorRatio', 'latency', 'liveness', 'absent'] as const;

/** Everything a service may opt out of, each with its reason (shown by `monforge coverage`). */
export const optOutSignals = [...serviceSignals, ...resourceKinds, 'playbook'] as const;
/** What a service may opt out of. */
export type OptOutSignal = (typeof optOutSignals)[number];

/** Signal → why this service goes without it. */
export type OptOuts = { readonly [S in OptOutSignal]?: string };

/**
 * Escalation over time: when the alert's mildest level has held for `after` beyond its `for`,
 * a rule of its own fires at severity `to` (and, being more severe, inhibits the milder one).
 */
export interface Escalation {
  readonly after: Duration;
  readonly to: Severity;
}
