import { enabledTiers } from '../../model/burn-rate.ts';
import type { Platform } from '../../model/platform.ts';
import { resultLabels } from '../../model/result-labels.ts';
import { severities } from '../../model/severity.ts';
import { equals, notEquals, oneOf } from './matchers.ts';
import { ownAlerts } from './routes.ts';
import type { InhibitRule } from './types.ts';

/**
 * Noise control (docs/design.md): a more severe level of an alert mutes its lesser levels; an SLO's
 * page tier mutes its ticket tier; a service's outage mutes its other alerts, and the alerts
 * of the services that depend on it (cascade prevention). Every rule stays within one
 * environment (`environmentLabels`).
 */
export function inhibitRules(platform: Platform): InhibitRule[] {
  const environment = platform.routing?.environmentLabels ?? [];
  const services = [...platform.services].sort((a, b) => (a.name < b.name ? -1 : 1));
  // One alert name covers one series per label set of its expression (e.g. per route): only
  // the critical level of the same series mutes its warning, never another route's.
  const seriesLabels = [
    ...new Set(services.flatMap((service) => (service.alerts ?? []).flatMap((alert) => resultLabels(service, alert.expr)))),
  ].sort();
  const rules: InhibitRule[] = severities.slice(0, -1).map((severity, index) => ({
    source_matchers: [equals('severity', severity)],
    target_matchers: [oneOf('severity', severities.slice(index + 1))],
    equal: unique(['alertname', 'service', ...environment, ...seriesLabels]),
  }));
  if (services.some((service) => (service.slos ?? []).some((slo) => enabledTiers(slo).length === 2))) {
    rules.push({
      source_matchers: [equals('tier', 'page')],
      target_matchers: [equals('tier', 'ticket')],
      equal: ['service', 'slo', ...environment],
    });
  }
  // Only request-serving services have an outage alert.
  const down = services.filter((service) => service.traffic);
  if (down.length > 0) {
    rules.push({
      source_matchers: [equals('outage', 'true')],
      target_matchers: [notEquals('outage', 'true')],
      equal: ['service', ...environment],
    });
  }
  // Each service's dependents, in name order: one pass, not one over every service per dependency.
  const dependentsOf = new Map<string, string[]>();
  for (const service of services) {
    for (const dependency of new Set(service.dependsOn ?? [])) {
      const dependents = dependentsOf.get(dependency) ?? [];
      dependents.push(service.name);
      dependentsOf.set(dependency, dependents);
    }
  }
  for (const dependency of down) {
    const dependents = dependentsOf.get(dependency.name) ?? [];
    if (dependents.length === 0) continue;
    // Direct dependents only: an inhibited alert still inhibits, so a dependent's own outage
    // alert carries the cascade one level further, and only when that service is down too.
    rules.push({
      source_matchers: [equals('service', dependency.name), equals('outage', 'true')],
      target_matchers: [oneOf('service', dependents)],
      ...(environment.length > 0 && { equal: [...environment] }),
    });
  }
  // Beside a route tree of the definitions, these rules mute only alerts of the teams' services:
  // without services, none (they would mute the tree's alerts, which its own rules govern).
  if (!platform.routeTree) return rules;
  const ours = ownAlerts(platform);
  if (!ours) return [];
  return rules.map((rule) => ({
    ...rule,
    source_matchers: [...rule.source_matchers, ...ours],
    target_matchers: [...rule.target_matchers, ...ours],
  }));
}

const unique = (labels: string[]): string[] => [...new Set(labels)];
