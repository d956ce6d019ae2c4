import type { PlatformConfig } from './config.ts';
import type { ResourceKind } from './signals.ts';
import type { BurnTier, Slo } from './slo.ts';

// What the generated alerts are called: the rules, their tests, the routes, the dashboards'
// runbook links and the load checks of routing and playbooks all name alerts through here.

/** Alert names are built for every rule, test and route: each identifier is converted once. */
const pascalCases = new Map<string, string>();

/** `event-day` → `EventDay`: alert names are CamelCase, built from lower-case identifiers. */
export function pascalCase(identifier: string): string {
  let result = pascalCases.get(identifier);
  if (result === undefined) {
    result = identifier
      .split(/[-_]/)
      .filter(Boolean)
      .map((word) => word[0]!.toUpperCase() + word.slice(1))
      .join('');
    pascalCases.set(identifier, result);
  }
  return result;
}

/**
 * One alert name per tier, so Alertmanager can inhibit the ticket tier while the page tier
 * fires; or the SLO's own `alertName` for both (Sloth's convention), told apart by `tier`.
 */
export const burnAlertName = (service: string, slo: Pick<Slo, 'name' | 'alertName'>, tier: BurnTier): string =>
  slo.alertName ?? `${pascalCase(service)}${pascalCase(slo.name)}BudgetBurn${pascalCase(tier)}`;

/** A latency SLO's warning that some of its traffic has no bucket at the threshold, so the SLO cannot measure it. */
export const thresholdBucketMissingAlertName = (service: string, slo: string): string =>
  `${pascalCase(service)}${pascalCase(slo)}ThresholdBucketMissing`;

export const outageAlertName = (service: string): string => `${pascalCase(service)}Down`;
/** A playbook that remediates too few of its episodes (compile/prometheus/remediation-outcomes.ts), one per service it handles. */
export const remediationAlertName = 'RemediationSuccessRateLow';

export const targetsAbsentAlertName = (service: string): string => `${pascalCase(service)}TargetsAbsent`;
export const metricAbsentAlertName = (service: string): string => `${pascalCase(service)}MetricAbsent`;

/** The alerts policies generate (model/policy.ts), by what they measure. */
export const policyAlertNames = {
  errorRatio: (service: string): string => `${pascalCase(service)}ErrorRatioHigh`,
  latencyQuantile: (service: string): string => `${pascalCase(service)}LatencyHigh`,
  latencySpike: (service: string): string => `${pascalCase(service)}LatencySpike`,
  liveness: (service: string): string => `${pascalCase(service)}TargetsDown`,
  saturation: (service: string, resource: ResourceKind): string =>
    `${pascalCase(service)}${{ memory: 'MemoryHigh', cpu: 'CpuHigh', disk: 'DiskUsageHigh' }[resource]}`,
  /** The node-mixin's idiom: `NodeFilesystemSpaceFillingUp`. */
  forecast: (service: string, resource: ResourceKind): string => `${pascalCase(service)}${pascalCase(resource)}FillingUp`,
};

/** The alert's runbook: its own override, else a page named after the alert under the platform's runbook base. */
export function runbookUrl(config: PlatformConfig, alertName: string, override?: string): string {
  return override ?? `${config.runbookBaseUrl}${alertName.toLowerCase()}`;
}
