import { enabledTiers, tierSeverity } from '../../model/burn-rate.ts';
import { alertHealthSignals, healthSignals, type AlertHealthSignal } from '../../model/health-signal.ts';
import { alertHealthSignal, healthWeights, severityPenalty, sloHealthSignal } from '../../model/health.ts';
import { alertSeverities } from '../../model/emitted.ts';
import { hasTargets, type Service } from '../../model/service.ts';
import { severities, type Severity } from '../../model/severity.ts';
import { quote, renderSelector } from '../../promql/render.ts';
import { burnAlertName, outageAlertName } from '../../model/alert-names.ts';
import { componentRecord, penaltyRecord, platformScoreRecord, serviceScoreRecord } from '../../derive/records.ts';
import type { RecordingRule, RuleGroup } from './rules.ts';

// The health score of the dashboards of docs/design.md, computed by Prometheus so that dashboards, alerts and
// anyone querying read the same number. See model/health.ts for the definition.

/** An alert a service can fire, with a severity it fires at. */
export interface AlertLevel {
  readonly alertname: string;
  readonly severity: Severity;
}

/** Every alert that lowers a component, per component, in definition order with its severities. */
export type SignalAlerts = Record<AlertHealthSignal, { alertname: string; severities: Severity[] }[]>;

export function signalAlerts(service: Service): SignalAlerts {
  const found: SignalAlerts = { performance: [], errors: [], resources: [] };
  for (const slo of service.slos ?? []) {
    for (const tier of enabledTiers(slo))
      found[sloHealthSignal(slo)].push({ alertname: burnAlertName(service.name, slo, tier), severities: [tierSeverity[tier]] });
  }
  for (const alert of service.alerts ?? []) {
    found[alertHealthSignal(alert)].push({ alertname: alert.name, severities: alertSeverities(alert) });
  }
  return found;
}

/**
 * What the health score's rules and tests read of a service, and all they read: the files are
 * rendered again (generate --watch) only when this changes.
 */
export interface HealthInput {
  readonly name: string;
  readonly team: string;
  readonly selector: Service['selector'];
  readonly traffic: boolean;
  readonly alerts: SignalAlerts;
}

export const healthInput = (service: Service): HealthInput => ({
  name: service.name,
  team: service.team,
  selector: service.selector,
  traffic: service.traffic !== undefined,
  alerts: signalAlerts(service),
});

/** `ALERTS{alertname="ApiDown",alertstate="firing",service="api"}`; names are CamelCase, safe in a regex. */
function firing(service: HealthInput, names: readonly string[]): string {
  // Tiers that share their SLO's alert name are one name here.
  const alertnames = [...new Set(names)];
  const name = alertnames.length === 1 ? `alertname=${quote(alertnames[0]!)}` : `alertname=~${quote(alertnames.join('|'))}`;
  return `ALERTS{${name},alertstate="firing",service=${quote(service.name)}}`;
}

/**
 * Share of the service's targets up; 0 without any target, or while its outage alert fires. A
 * service whose selector names no targets has none to count: 1.
 */
function availabilityExpr(service: HealthInput): string {
  if (!hasTargets(service)) return 'vector(1)';
  const up = `avg(${renderSelector('up', service, { matchers: {} })})`;
  if (!service.traffic) return `${up} or vector(0)`;
  return `(${up} unless on() ${firing(service, [outageAlertName(service.name)])}) or vector(0)`;
}

/** 1 minus the penalty of the most severe firing alert among `alertnames`. */
function alertSignalExpr(service: HealthInput, alertnames: readonly string[]): string {
  if (alertnames.length === 0) return 'vector(1)';
  return `1 - (max(${firing(service, alertnames)} * on(severity) group_left() ${penaltyRecord}) or vector(0))`;
}

function serviceRules(service: HealthInput): RecordingRule[] {
  const labels = { service: service.name };
  const selector = `{service=${quote(service.name)}}`;
  const alerts = service.alerts;
  const components: RecordingRule[] = [
    { record: componentRecord('availability'), expr: availabilityExpr(service), labels },
    ...alertHealthSignals.map((signal) => ({
      record: componentRecord(signal),
      expr: alertSignalExpr(
        service,
        alerts[signal].map((each) => each.alertname),
      ),
      labels,
    })),
  ];
  const weighted = healthSignals.map((signal) => `${healthWeights[signal]} * ${componentRecord(signal)}${selector}`).join(' + ');
  return [...components, { record: serviceScoreRecord, expr: weighted, labels }];
}

/**
 * One group: rules run in order, so every score sees this round's components. The penalties
 * come first as series (`vector(0.75)` labelled `severity="high"`) that firing alerts join on.
 */
export function healthGroup(services: readonly HealthInput[]): RuleGroup {
  return {
    name: 'platform-health',
    rules: [
      ...severities.map((severity) => ({ record: penaltyRecord, expr: `vector(${severityPenalty[severity]})`, labels: { severity } })),
      ...services.flatMap(serviceRules),
      { record: platformScoreRecord, expr: `avg(${serviceScoreRecord})` },
    ],
  };
}
