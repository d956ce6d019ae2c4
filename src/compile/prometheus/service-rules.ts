import type { PlatformConfig } from '../../model/config.ts';
import type { Service } from '../../model/service.ts';
import { outageGroup } from './outage.ts';
import type { RuleGroup } from './rules.ts';
import { sloGroups } from './slo.ts';
import { thresholdRules } from './threshold.ts';

// The Prometheus and Alertmanager compilers both read a service's rules; the model is
// immutable, so the groups are built once per (config, service) and shared read-only.
const built = new WeakMap<PlatformConfig, WeakMap<Service, readonly RuleGroup[]>>();

/** Every rule group of one service, in a fixed order: outage, SLOs, threshold alerts. */
export function serviceRuleGroups(config: PlatformConfig, service: Service): readonly RuleGroup[] {
  const byService = built.get(config) ?? new WeakMap<Service, readonly RuleGroup[]>();
  built.set(config, byService);
  const known = byService.get(service);
  if (known) return known;
  const groups = buildRuleGroups(config, service);
  byService.set(service, groups);
  return groups;
}

function buildRuleGroups(config: PlatformConfig, service: Service): RuleGroup[] {
  const groups: RuleGroup[] = [];
  if (service.traffic) groups.push(outageGroup(config, service, service.traffic));
  for (const slo of service.slos ?? []) groups.push(...sloGroups(config, service, slo));
  const alerts = (service.alerts ?? []).flatMap((alert) => thresholdRules(config, service, alert));
  if (alerts.length > 0) groups.push({ name: `${service.name}-alerts`, rules: alerts });
  return groups;
}
