import { alertDashboardLinker } from '../../derive/dashboard-links.ts';
import type { PlatformConfig } from '../../model/config.ts';
import type { Service } from '../../model/service.ts';
import { isAlertingRule, type RuleGroup } from './rules.ts';

/**
 * Adds a `dashboard` annotation to every alert: its panel on the service dashboard, under the
 * configured Grafana URL (none without one). Applied once to all of a service's alerts, like
 * the mixins' runbook links.
 */
export function withDashboardLinks(config: PlatformConfig, service: Service, groups: readonly RuleGroup[]): RuleGroup[] {
  const link = alertDashboardLinker(config, service);
  if (!link) return [...groups];
  return groups.map((group) => ({
    ...group,
    rules: group.rules.map((rule) =>
      isAlertingRule(rule) ? { ...rule, annotations: { ...rule.annotations, dashboard: link(rule) } } : rule,
    ),
  }));
}
