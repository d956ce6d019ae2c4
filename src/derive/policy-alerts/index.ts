import type { ThresholdAlert } from '../../model/alert.ts';
import type { AbsentRule } from '../../model/absent.ts';
import type { Sourced } from '../../model/platform.ts';
import type { Policy, PolicyLevels } from '../../model/policy.ts';
import type { ResourceMap } from '../../model/resources.ts';
import type { Service } from '../../model/service.ts';
import { resourceKinds, type PolicyAlertKind } from '../../model/signals.ts';
import type { PolicyAlertBuilder } from './alert-text.ts';
import { errorRatioAlerts } from './error-ratio.ts';
import { latencyAlerts } from './latency.ts';
import { livenessAlerts } from './liveness.ts';
import { saturationAlerts } from './saturation.ts';
// Policies → alerts (model/policy.ts): for each kind a policy asks of a service, the alert it
// generates, unless the service's own alert `covers` that kind or the service opts out of it.
// Pure; the loader applies it once, `monforge coverage` asks it again for the gaps.

/** A policy kind that could not be turned into an alert for a service, and why. */
export interface PolicyGap {
  readonly kind: PolicyAlertKind;
  readonly policy: string;
  readonly reason: string;
}

export interface PolicyOutcome {
  /** Generated alerts, each with `policy` and `covers` set. */
  readonly alerts: readonly ThresholdAlert[];
  readonly gaps: readonly PolicyGap[];
}

/** The policy in force for one setting: the tier's own, else the platform default. */
function policyFor<T>(service: Pick<Service, 'tier'>, policies: readonly Policy[], setting: (policy: Policy) => T | undefined) {
  const applies = (policy: Policy): boolean => policy.tiers === undefined || policy.tiers.includes(service.tier);
  const candidates = policies.filter((policy) => applies(policy) && setting(policy) !== undefined);
  const chosen = candidates.find((policy) => policy.tiers !== undefined) ?? candidates[0];
  return chosen === undefined ? undefined : { policy: chosen, settings: setting(chosen)! };
}

/** The absent settings the policies give a service. */
function policyAbsent(service: Service, policies: readonly Policy[]): { targets?: AbsentRule; metrics?: AbsentRule } {
  const targets = policyFor(service, policies, (policy) => policy.absent?.targets)?.settings;
  const metrics = policyFor(service, policies, (policy) => policy.absent?.metrics)?.settings;
  return { ...(targets && { targets }), ...(metrics && { metrics }) };
}

/** The service with the alerts its policies generated and the absent settings they give it (its own win). */
export function withPolicyAlerts<S extends Service>(service: S, policies: readonly Policy[], generated: readonly ThresholdAlert[]): S {
  const absent = policyAbsent(service, policies);
  const targets = { ...absent.targets, ...service.absent?.targets };
  const metrics = { ...absent.metrics, ...service.absent?.metrics };
  return {
    ...service,
    alerts: [...(service.alerts ?? []), ...generated],
    absent: {
      ...service.absent,
      ...(Object.keys(targets).length > 0 && { targets }),
      ...(Object.keys(metrics).length > 0 && { metrics }),
    },
  };
}

/** The alerts the policies give one service, and what they asked but the service cannot provide. */
export function policyAlerts(service: Service, policies: readonly (Policy & Sourced)[], catalog: ResourceMap | undefined): PolicyOutcome {
  const own = (service.alerts ?? []).filter((alert) => alert.policy === undefined);
  const alerts: ThresholdAlert[] = [];
  const gaps: PolicyGap[] = [];
  const wanted = (kind: PolicyAlertKind): boolean => service.optOut?.[kind] === undefined && !own.some((alert) => alert.covers === kind);
  const generate = <T extends PolicyLevels>(
    kind: PolicyAlertKind,
    setting: (policy: Policy) => T | undefined,
    build: PolicyAlertBuilder<T>,
  ): void => {
    const found = policyFor(service, policies, setting);
    if (!found || !wanted(kind)) return;
    const built = build(found.settings, found.policy);
    if (typeof built === 'string') gaps.push({ kind, policy: found.policy.name, reason: built });
    else alerts.push(...built.map((alert) => ({ ...alert, covers: kind, policy: found.policy.name })));
  };

  generate('errorRatio', (policy) => policy.errorRatio, errorRatioAlerts(service));
  generate('latency', (policy) => policy.latency, latencyAlerts(service));
  generate('liveness', (policy) => policy.liveness, livenessAlerts(service));
  for (const resource of resourceKinds) {
    generate(resource, (policy) => policy.saturation?.[resource], saturationAlerts(service, catalog, resource));
  }
  return { alerts, gaps };
}
