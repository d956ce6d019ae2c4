import type { PlatformConfig } from '../../model/config.ts';
import type { Service } from '../../model/service.ts';
import { alertDashboardUrl } from '../grafana/links.ts';
import { isAlertingRule, type RuleGroup } from './rules.ts';

/**
 * Adds a `dashboard` annotation to every alert: its panel on the service dashboard, under the
 * configured Grafana URL (none without one). Applied once to all of a service's alerts, like
 * the mixins' runbook links.
 */
export function withDashboardLinks(config: PlatformConfig, service: Service, groups: readonly RuleGroup[]): RuleGroup[] {
  return groups.map((group) => ({
    ...group,
    rules: group.rules.map((rule) => {
      if (!isAlertingRule(rule)) return rule;
      const url = alertDashboardUrl(config, service, rule);
      return url ? { ...rule, annotations: { ...rule.annotations, dashboard: url } } : rule;
    }),
  }));
}
