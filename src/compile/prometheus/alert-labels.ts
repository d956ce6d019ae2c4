import { sortedLabels, type AlertLabels } from '../../model/emitted.ts';
import type { PlatformConfig } from '../../model/config.ts';
import type { Platform } from '../../model/platform.ts';
import type { Service } from '../../model/service.ts';
import { remediationGroup } from './remediation-outcomes.ts';
import { isAlertingRule, type RuleGroup } from './rules.ts';
import { serviceRuleGroups } from './service-rules.ts';

/**
 * Every alerting rule of the platform, by service name, in rule order, then the remediation
 * outcome alerts; labels sorted by name. `ofService` gives a service's (compile/index.ts has them
 * from compiling each service, or from a cache of that).
 * compile/index.ts hands them to the Alertmanager compiler, which writes a route test per alert.
 */
export function emittedAlertLabels(
  platform: Platform,
  ofService: (service: Service) => readonly AlertLabels[] = (service) => serviceAlertLabels(platform.config, service),
): AlertLabels[] {
  const services = [...platform.services].sort((a, b) => (a.name < b.name ? -1 : 1));
  return [...services.flatMap(ofService), ...(platform.playbooks.length > 0 ? groupAlertLabels([remediationGroup(platform)]) : [])];
}

/**
 * A service's alert labels, kept while the service object lives: they read nothing else, and
 * generate --watch asks again for every unchanged service after each edit.
 */
const byService = new WeakMap<Service, { readonly config: PlatformConfig; readonly labels: readonly AlertLabels[] }>();

/** A service's alerting rules' labels, in rule order. */
export function serviceAlertLabels(config: PlatformConfig, service: Service): readonly AlertLabels[] {
  const known = byService.get(service);
  if (known?.config === config) return known.labels;
  const labels = groupAlertLabels(serviceRuleGroups(config, service));
  byService.set(service, { config, labels });
  return labels;
}

const groupAlertLabels = (groups: readonly RuleGroup[]): AlertLabels[] =>
  groups
    .flatMap((group) => group.rules)
    .filter(isAlertingRule)
    .map((rule) => sortedLabels({ alertname: rule.alert, ...rule.labels }));
