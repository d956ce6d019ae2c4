import { policyAlerts, type PolicyGap } from '../derive/policy-alerts/index.ts';
import { serviceDashboardUid } from '../derive/dashboard-links.ts';
import { absentDetection } from '../model/absent-detection.ts';
import type { ThresholdAlert } from '../model/alert.ts';
import { metricAbsentAlertName, outageAlertName, targetsAbsentAlertName } from '../model/alert-names.ts';
import { inferredCoverage } from '../model/inferred-coverage.ts';
import type { Platform } from '../model/platform.ts';
import { playbookServices } from '../model/playbook-services.ts';
import type { Service, ServiceTier } from '../model/service.ts';
import { resourceKinds, serviceSignals, type OptOutSignal, type PolicyAlertKind, type ResourceKind } from '../model/signals.ts';

// `monforge coverage`: every service × signal, covered (and by what), opted out (and why) or
// missing (and why). The analysis only; format.ts prints it.

/** Saturation stands for the resources, each of which a service may opt out of on its own. */
export const coverageSignals = [...serviceSignals, 'saturation', 'playbook', 'dashboard'] as const;
export type CoverageSignal = (typeof coverageSignals)[number];

export type CellStatus = 'covered' | 'opted out' | 'missing';

export interface Cell {
  readonly status: CellStatus;
  /** What covers it: SLOs, alerts (with the policy that generated them), playbooks, the dashboard. */
  readonly by?: readonly string[];
  /** Those of `by` that are alerts without `covers` found to measure the signal (model/inferred-coverage.ts). */
  readonly inferred?: readonly string[];
  /** Why it is opted out, or why it is missing. */
  readonly reason?: string;
  /** Saturation, per resource. */
  readonly resources?: { readonly [R in ResourceKind]: Cell };
}

export interface ServiceCoverage {
  readonly service: string;
  readonly team: string;
  readonly tier: ServiceTier;
  readonly signals: { readonly [S in CoverageSignal]: Cell };
}

/** An alert of a rule group without a promtool case that fires it, and why. */
export interface UntestedAlert {
  readonly alert: string;
  readonly severity: string | undefined;
  readonly group: string;
  readonly service: string;
  readonly reason: string;
}

export interface CoverageReport {
  readonly services: readonly ServiceCoverage[];
  readonly totals: { readonly [S in CellStatus]: number };
  /** Alerts of the rule groups (imported ones among them) that no test fires. */
  readonly untested: readonly UntestedAlert[];
}

export function analyzeCoverage(platform: Platform): CoverageReport {
  const services = [...platform.services].sort((a, b) => (a.name < b.name ? -1 : 1)).map((service) => serviceCoverage(platform, service));
  const totals = { covered: 0, 'opted out': 0, missing: 0 };
  for (const service of services) for (const signal of coverageSignals) totals[service.signals[signal].status] += 1;
  return { services, totals, untested: untestedAlerts(platform) };
}

function untestedAlerts(platform: Platform): UntestedAlert[] {
  return (platform.ruleGroups ?? []).flatMap((group) =>
    group.rules.flatMap((rule) =>
      rule.kind === 'alert' && rule.untested !== undefined
        ? [{ alert: rule.name, severity: rule.labels?.severity, group: group.name, service: group.service, reason: rule.untested }]
        : [],
    ),
  );
}

function serviceCoverage(platform: Platform, service: Service): ServiceCoverage {
  const gaps = policyAlerts(service, platform.policies, platform.resources).gaps;
  const optOut = (signal: OptOutSignal, otherwise: string): Cell => {
    const reason = service.optOut?.[signal];
    return reason === undefined ? { status: 'missing', reason: otherwise } : { status: 'opted out', reason };
  };
  const covered = (by: readonly string[], signal: OptOutSignal, otherwise: string): Cell =>
    by.length > 0 ? { status: 'covered', by } : optOut(signal, otherwise);
  const slos = (kind: 'ratio' | 'latency') => (service.slos ?? []).filter((slo) => slo.kind === kind).map((slo) => `slo "${slo.name}"`);
  const inferred = (kind: PolicyAlertKind): string[] =>
    (service.alerts ?? []).flatMap((alert) => {
      const match = inferredCoverage(service, alert);
      return match?.kind === kind ? [`${alert.name} (${match.because})`] : [];
    });
  const alerts = (kind: PolicyAlertKind, extra: readonly string[] = []): Cell => {
    const guessed = inferred(kind);
    const cell = covered(
      [...extra, ...(service.alerts ?? []).filter((alert) => alert.covers === kind).map(alertName), ...guessed],
      kind,
      gapReason(gaps, kind),
    );
    return guessed.length > 0 ? { ...cell, inferred: guessed } : cell;
  };
  const resources = Object.fromEntries(resourceKinds.map((resource) => [resource, alerts(resource)])) as Record<ResourceKind, Cell>;
  const absent = absentDetection(service);
  return {
    service: service.name,
    team: service.team,
    tier: service.tier,
    signals: {
      availabilitySlo: covered(slos('ratio'), 'availabilitySlo', 'no ratio SLO'),
      latencySlo: covered(slos('latency'), 'latencySlo', 'no latency SLO'),
      errorRatio: alerts('errorRatio'),
      latency: alerts('latency'),
      // A request-serving service's outage alert fires when none of its targets is up.
      liveness: alerts('liveness', service.traffic ? [outageAlertName(service.name)] : []),
      absent: absent
        ? {
            status: 'covered',
            by: [
              targetsAbsentAlertName(service.name),
              ...(absent.series.length > 0 ? [`${metricAbsentAlertName(service.name)} (${absent.series.length} metrics)`] : []),
            ],
          }
        : optOut('absent', ''),
      saturation: combined(resources),
      playbook: covered(
        platform.playbooks
          .filter((playbook) => playbookServices(playbook, [service]).length > 0)
          .map((playbook) => `playbook "${playbook.name}"`),
        'playbook',
        'no playbook handles its alerts',
      ),
      dashboard: { status: 'covered', by: [serviceDashboardUid(service)] },
    },
  };
}

const alertName = (alert: ThresholdAlert): string => (alert.policy === undefined ? alert.name : `${alert.name} (policy ${alert.policy})`);

function gapReason(gaps: readonly PolicyGap[], kind: PolicyAlertKind): string {
  const gap = gaps.find((each) => each.kind === kind);
  return gap ? `policy "${gap.policy}" ${gap.reason}` : 'no policy asks for it and no alert covers it';
}

/** Saturation is missing when a resource is, opted out when all are, covered otherwise. */
function combined(resources: Record<ResourceKind, Cell>): Cell {
  const cells = Object.values(resources);
  const status: CellStatus = cells.some((cell) => cell.status === 'missing')
    ? 'missing'
    : cells.every((cell) => cell.status === 'opted out')
      ? 'opted out'
      : 'covered';
  return { status, resources };
}
