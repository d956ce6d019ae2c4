import type { ThresholdAlert } from '../../model/alert.ts';
import type { PlatformConfig } from '../../model/config.ts';
import type { Service } from '../../model/service.ts';
import { absentGroup } from './absent.ts';
import { outageGroup } from './outage.ts';
import type { RuleGroup } from './rules.ts';
import { sloGroups } from './slo.ts';
import { thresholdRules } from './threshold.ts';

// The Prometheus and Alertmanager compilers both read a service's rules; the model is
// immutable, so the groups are built once per (config, service) and shared read-only.
const built = new WeakMap<PlatformConfig, WeakMap<Service, readonly RuleGroup[]>>();

/** Every rule group of one service, in a fixed order: outage, SLOs, threshold alerts, absent detection. */
export function serviceRuleGroups(config: PlatformConfig, service: Service): readonly RuleGroup[] {
  const byService = built.get(config) ?? new WeakMap<Service, readonly RuleGroup[]>();
  built.set(config, byService);
  const known = byService.get(service);
  if (known) return known;
  const groups = buildRuleGroups(config, service);
  byService.set(service, groups);
  return groups;
}

/** The group of a service's baseline alerts, which compilePrometheus writes to a file of its own (paths.ts). */
export const baselineGroupName = (service: Pick<Service, 'name'>): string => `${service.name}-baseline`;

function buildRuleGroups(config: PlatformConfig, service: Service): RuleGroup[] {
  const groups: RuleGroup[] = [];
  if (service.traffic) groups.push(outageGroup(config, service, service.traffic));
  for (const slo of service.slos ?? []) groups.push(...sloGroups(config, service, slo));
  const rulesOf = (alerts: readonly ThresholdAlert[]) => alerts.flatMap((alert) => thresholdRules(config, service, alert));
  const all = service.alerts ?? [];
  const alerts = rulesOf(all.filter((alert) => alert.expr.kind !== 'baseline'));
  if (alerts.length > 0) groups.push({ name: `${service.name}-alerts`, rules: alerts });
  const baselines = rulesOf(all.filter((alert) => alert.expr.kind === 'baseline'));
  if (baselines.length > 0) groups.push({ name: baselineGroupName(service), rules: baselines });
  const absent = absentGroup(config, service);
  if (absent) groups.push(absent);
  return groups;
}
