import { absentDetection } from './absent-detection.ts';
import type { ThresholdAlert } from './alert.ts';
import {
  burnAlertName,
  metricAbsentAlertName,
  outageAlertName,
  targetsAbsentAlertName,
  thresholdBucketMissingAlertName,
} from './alert-names.ts';
import { enabledTiers, tierSeverity } from './burn-rate.ts';
import type { Service } from './service.ts';
import { severities, type Severity } from './severity.ts';

/** One alert rule the Prometheus compiler emits for a service, by its routing labels. */
export interface EmittedAlert {
  readonly alertname: string;
  readonly service: string;
  readonly severity: Severity;
}

/** The severities a threshold alert fires at: one per level, and its escalation's. */
export function alertSeverities(alert: ThresholdAlert): Severity[] {
  const own = severities.filter((severity) => alert.levels[severity] !== undefined);
  const escalated = alert.escalate?.to;
  return escalated === undefined || own.includes(escalated) ? own : severities.filter((s) => own.includes(s) || s === escalated);
}

/**
 * The (alertname, severity) pairs of `serviceRuleGroups`, without building the rules; kept
 * while the service object lives (the checks of every load of generate --watch ask again).
 */
export function emittedAlerts(service: Service): readonly EmittedAlert[] {
  const known = emittedOf.get(service);
  if (known) return known;
  const emitted: EmittedAlert[] = [];
  const add = (alertname: string, severity: Severity): void => void emitted.push({ alertname, service: service.name, severity });
  if (service.traffic) add(outageAlertName(service.name), 'critical');
  for (const slo of service.slos ?? []) {
    for (const tier of enabledTiers(slo)) add(burnAlertName(service.name, slo, tier), tierSeverity[tier]);
    if (slo.kind === 'latency') add(thresholdBucketMissingAlertName(service.name, slo.name), 'warning');
  }
  for (const alert of service.alerts ?? []) for (const severity of alertSeverities(alert)) add(alert.name, severity);
  const absent = absentDetection(service);
  if (absent) {
    add(targetsAbsentAlertName(service.name), absent.targets.severity);
    if (absent.series.length > 0) add(metricAbsentAlertName(service.name), absent.metrics.severity);
  }
  emittedOf.set(service, emitted);
  return emitted;
}

const emittedOf = new WeakMap<Service, readonly EmittedAlert[]>();

/** The labels of one alerting rule the Prometheus compiler emits, `alertname` included. */
export type AlertLabels = Readonly<Record<string, string>>;

export function sortedLabels(labels: Readonly<Record<string, string>>): AlertLabels {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * One generated rule file as data, for targets that re-package the rules (PrometheusRule,
 * Mimir): compile/index.ts hands them over from the Prometheus compiler. Rules are the plain
 * objects the rule file serializes, in order.
 */
export interface EmittedRuleFile {
  /** The file's name: the service, `<service>.baseline`, `platform-health` or `remediation-outcomes`. */
  readonly name: string;
  /** The service the file belongs to, if any. */
  readonly service?: string;
  /** Definition files it comes from, as in its header. */
  readonly sources: readonly string[];
  /** Its groups as the rule file serializes them. */
  readonly groups: readonly Readonly<{ name: string; interval?: string; rules: readonly object[] }>[];
}

/** One generated dashboard as data (from the Grafana compiler via compile/index.ts). */
export interface EmittedDashboard {
  /** Its team folder, or undefined for Grafana's General folder. */
  readonly folder: string | undefined;
  /** The file name without `.json`: the service, `overview` or `slos`. */
  readonly name: string;
  /** The dashboard JSON exactly as written to generated/grafana/dashboards/. */
  readonly json: string;
}
