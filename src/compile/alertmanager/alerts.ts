import type { Platform } from '../../model/platform.ts';
import { isAlertingRule } from '../prometheus/rules.ts';
import { serviceRuleGroups } from '../prometheus/service-rules.ts';

/** The labels of one alerting rule the Prometheus compiler emits, `alertname` included. */
export type AlertLabels = Readonly<Record<string, string>>;

/** Every alerting rule of the platform, by service name, in rule order; labels sorted by name. */
export function emittedAlertLabels(platform: Platform): AlertLabels[] {
  const services = [...platform.services].sort((a, b) => (a.name < b.name ? -1 : 1));
  return services.flatMap((service) =>
    serviceRuleGroups(platform.config, service)
      .flatMap((group) => group.rules)
      .filter(isAlertingRule)
      .map((rule) => sortedLabels({ alertname: rule.alert, ...rule.labels })),
  );
}

export function sortedLabels(labels: Readonly<Record<string, string>>): AlertLabels {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}
