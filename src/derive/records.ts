import type { HealthSignal } from '../model/health-signal.ts';
import type { Service } from '../model/service.ts';
import type { Slo } from '../model/slo.ts';
import { quote } from '../promql/render.ts';

// Names of the series the generated recording rules write: the Prometheus compiler records
// them, its promtool tests and the Grafana dashboards read them back.

/** `slo:sli_error:ratio_rate5m`: Sloth's names, the de-facto convention dashboards expect. */
export const sliErrorRecord = (window: string): string => `slo:sli_error:ratio_rate${window}`;

/** Events per second over 5m, summed to the SLO's labels: every longer window is derived from these two. */
export const sliEventsRecord = 'slo:sli_events:rate5m';
/** Bad (failed or slow) events per second over 5m; 0, not absent, while there is traffic. */
export const sliBadEventsRecord = 'slo:sli_bad_events:rate5m';

/** When the SLO's aggregates were first recorded: the start of the history its windows hold. */
export const historyStartRecord = 'slo:history_start:timestamp';
/** The share of the SLO window that history covers (below 1: the budget is partial). */
export const periodCoverageRecord = 'slo:period_coverage:ratio';

/** Labels that identify one SLO's series among every service's. */
export const sloLabels = (service: Service, slo: Slo): Record<string, string> => ({ service: service.name, slo: slo.name });

/** The labels an SLO's recording rules write: its identity and its own `labels`. */
export const sloRuleLabels = (service: Service, slo: Slo): Record<string, string> => ({ ...sloLabels(service, slo), ...slo.labels });

/** `{service="api",slo="availability"}` for reading an SLO's recording rules back. */
export const sloSelector = (service: Service, slo: Slo): string =>
  `{${Object.entries(sloLabels(service, slo))
    .map(([label, value]) => `${label}=${quote(value)}`)
    .join(',')}}`;

// The health score (model/health.ts), computed by Prometheus so that everyone reads one number.
export const penaltyRecord = 'severity:health_penalty:ratio';
export const componentRecord = (signal: HealthSignal): string => `service:health_${signal}:ratio`;
export const serviceScoreRecord = 'service:health_score:percent';
export const platformScoreRecord = 'platform:health_score:percent';

// Remediation outcomes (docs/design.md: "> 80 % of issues resolved without a human"), from the webhook
// receiver's own metrics over a day: per playbook and for the platform.
export const remediationRunsRecord = 'playbook:monforge_webhook_runs:increase1d';
export const remediationEpisodesRecord = 'playbook:remediation_episodes:increase1d';
export const remediationSuccessRecord = (level: 'playbook' | 'platform'): string => `${level}:remediation_success:ratio1d`;
export const remediationDurationRecord = (level: 'playbook' | 'platform'): string => `${level}:remediation_duration_seconds:mean1d`;
