import { enabledTiers, tierSeverity } from '../../model/burn-rate.ts';
import type { Service } from '../../model/service.ts';
import { severities, type Severity } from '../../model/severity.ts';
import { burnAlertName, outageAlertName } from './names.ts';

/** One alert rule the Prometheus compiler emits for a service, by its routing labels. */
export interface EmittedAlert {
  readonly alertname: string;
  readonly service: string;
  readonly severity: Severity;
}

/** The (alertname, severity) pairs of `serviceRuleGroups`, without building the rules. */
export function emittedAlerts(service: Service): EmittedAlert[] {
  const emitted: EmittedAlert[] = [];
  const add = (alertname: string, severity: Severity): void => void emitted.push({ alertname, service: service.name, severity });
  if (service.traffic) add(outageAlertName(service.name), 'critical');
  for (const slo of service.slos ?? [])
    for (const tier of enabledTiers(slo)) add(burnAlertName(service.name, slo.name, tier), tierSeverity[tier]);
  for (const alert of service.alerts ?? [])
    for (const severity of severities) if (alert.levels[severity] !== undefined) add(alert.name, severity);
  return emitted;
}
