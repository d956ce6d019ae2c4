import type { ThresholdAlert } from '../model/alert.ts';
import type { Sourced } from '../model/platform.ts';
import type { Policy } from '../model/policy.ts';
import type { ResourceCatalog } from '../model/resources.ts';
import type { Service, ServiceTier } from '../model/service.ts';
import { policyAlertKinds, resourceKinds } from '../model/signals.ts';
import { checkReachable, checkSelector } from './checks-service.ts';
import * as findings from '../findings/catalog/policies.ts';
import type { Said } from '../findings/kind.ts';
import { definitionError, type DefinitionError } from './errors.ts';

type Report = (error: DefinitionError) => void;

const tiers: readonly ServiceTier[] = ['critical', 'high', 'medium', 'low'];

/** Every setting of a policy that stands on its own: two policies may not both set one for a tier. */
const settings: readonly [string, (policy: Policy) => unknown][] = [
  ['errorRatio', (policy) => policy.errorRatio],
  ['latency', (policy) => policy.latency],
  ['liveness', (policy) => policy.liveness],
  ...resourceKinds.map((resource): [string, (policy: Policy) => unknown] => [
    `saturation.${resource}`,
    (policy) => policy.saturation?.[resource],
  ]),
  ['absent.targets', (policy) => policy.absent?.targets],
  ['absent.metrics', (policy) => policy.absent?.metrics],
];

/** One policy per tier (and one platform default) for each setting, so which one applies is never a matter of order. */
export function checkPolicyConflicts(policies: readonly (Policy & Sourced)[], report: Report): void {
  for (const [field, setting] of settings) {
    const setters = policies.filter((policy) => setting(policy) !== undefined);
    const scopes: [string, (policy: Policy) => boolean][] = [
      ['the platform default', (policy) => policy.tiers === undefined],
      ...tiers.map((tier): [string, (policy: Policy) => boolean] => [`tier ${tier}`, (policy) => policy.tiers?.includes(tier) ?? false]),
    ];
    const reported = new Set<Policy>();
    for (const [scope, applies] of scopes) {
      const [first, ...rest] = setters.filter(applies);
      for (const second of rest) {
        if (reported.has(second)) continue;
        reported.add(second);
        report(
          definitionError(
            second.source,
            [`policy "${second.name}"`, field],
            findings.policyConflict(first!.name, first!.source, field, scope),
          ),
        );
      }
    }
  }
}

/** The catalog's gauges are gauges with existing labels. */
export function checkResourceCatalog(catalog: ResourceCatalog & Sourced, report: Report): boolean {
  let clean = true;
  for (const resource of resourceKinds) {
    const gauges = catalog[resource];
    if (!gauges) continue;
    for (const part of ['used', 'capacity'] as const) {
      checkSelector(gauges[part], 'gauge', [resource, part], (path, said) => {
        clean = false;
        report(definitionError(catalog.source, ['resources', ...path], said));
      });
    }
  }
  return clean;
}

/**
 * What a service says about its coverage must hold together: an opt-out of something it has is
 * a contradiction, and a generated alert must not take the name of one of its own.
 */
export function checkServiceCoverage(service: Service & Sourced, report: Report): void {
  const fail = (path: string[], said: Said): void => report(definitionError(service.source, [`service "${service.name}"`, ...path], said));
  const optOut = service.optOut ?? {};
  const slos = service.slos ?? [];
  const sloOf = (kind: 'ratio' | 'latency'): string | undefined => slos.find((slo) => slo.kind === kind)?.name;
  const ratio = sloOf('ratio');
  const latency = sloOf('latency');
  if (optOut.availabilitySlo !== undefined && ratio)
    fail(['optOut.availabilitySlo'], findings.optOutContradiction(`the service has the availability (ratio) SLO "${ratio}"`));
  if (optOut.latencySlo !== undefined && latency)
    fail(['optOut.latencySlo'], findings.optOutContradiction(`the service has the latency SLO "${latency}"`));
  for (const kind of policyAlertKinds) {
    const covering = (service.alerts ?? []).find((alert) => alert.covers === kind && alert.policy === undefined);
    if (optOut[kind] !== undefined && covering)
      fail([`optOut.${kind}`], findings.optOutContradiction(`alert "${covering.name}" covers ${kind}`));
  }
  if (optOut.absent !== undefined && Object.keys(service.absent?.exempt ?? {}).length > 0)
    fail(['absent.exempt'], findings.exemptWithoutAbsent());
}

/**
 * The alerts policies generated for a service: a name the service already uses, or a level
 * the service's metric can never reach (a quantile above its largest bucket), is reported
 * where the service is defined, naming the policy.
 */
export function checkPolicyAlerts(service: Service & Sourced, generated: readonly ThresholdAlert[], report: Report): ThresholdAlert[] {
  const own = new Set((service.alerts ?? []).map((alert) => alert.name));
  const kept: ThresholdAlert[] = [];
  for (const alert of generated) {
    const at = [`service "${service.name}"`, `alert "${alert.name}" (policy "${alert.policy}")`];
    if (own.has(alert.name)) {
      report(
        definitionError(
          service.source,
          [`service "${service.name}"`, `alert "${alert.name}"`],
          findings.policyNameTaken(alert.policy!, alert.covers!),
        ),
      );
      continue;
    }
    let clean = true;
    checkReachable(alert, alert.direction ?? 'above', (path, said) => {
      clean = false;
      report(definitionError(service.source, [...at, ...path], said));
    });
    if (clean) kept.push(alert);
  }
  return kept;
}
