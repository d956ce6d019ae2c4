import { sortedLabels, type AlertLabels } from '../../model/emitted.ts';
import type { Platform } from '../../model/platform.ts';
import { remediationGroup } from './remediation-outcomes.ts';
import { isAlertingRule } from './rules.ts';
import { serviceRuleGroups } from './service-rules.ts';

/**
 * Every alerting rule of the platform, by service name, in rule order, then the remediation
 * outcome alerts; labels sorted by name.
 * compile/index.ts hands them to the Alertmanager compiler, which writes a route test per alert.
 */
export function emittedAlertLabels(platform: Platform): AlertLabels[] {
  const services = [...platform.services].sort((a, b) => (a.name < b.name ? -1 : 1));
  const groups = [
    ...services.flatMap((service) => serviceRuleGroups(platform.config, service)),
    ...(platform.playbooks.length > 0 ? [remediationGroup(platform)] : []),
  ];
  return groups
    .flatMap((group) => group.rules)
    .filter(isAlertingRule)
    .map((rule) => sortedLabels({ alertname: rule.alert, ...rule.labels }));
}
