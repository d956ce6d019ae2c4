import type { PlatformConfig } from '../../model/config.ts';
import type { Service } from '../../model/service.ts';
import { outageGroup } from './outage.ts';
import type { RuleGroup } from './rules.ts';
import { sloGroup } from './slo.ts';
import { thresholdRules } from './threshold.ts';

/** Every rule group of one service, in a fixed order: outage, SLOs, threshold alerts. */
export function serviceRuleGroups(config: PlatformConfig, service: Service): RuleGroup[] {
  const groups: RuleGroup[] = [];
  if (service.traffic) groups.push(outageGroup(config, service, service.traffic));
  for (const slo of service.slos ?? []) groups.push(sloGroup(config, service, slo));
  const alerts = (service.alerts ?? []).flatMap((alert) => thresholdRules(config, service, alert));
  if (alerts.length > 0) groups.push({ name: `${service.name}-alerts`, rules: alerts });
  return groups;
}
