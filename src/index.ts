// The public definition API: what files under definitions/ import.
export type { Duration } from './model/duration.ts';
export { counter, gauge, histogram } from './model/metric.ts';
export type { Counter, Gauge, Histogram, Metric, MetricUnit } from './model/metric.ts';
export { select, not, re, notRe } from './model/selector.ts';
export type { Selector, Matcher, MatcherValue } from './model/selector.ts';
export { ratio, quantile, average, gaugePercent, gaugeValue, rate, promql, baseline, forecast } from './model/expr.ts';
export type { ThresholdExpr, TestSeries, ValueUnit, BaselineExpr, BaselineCurrent, ForecastExpr } from './model/expr.ts';
export { ratioSlo, latencySlo, gaugeSlo } from './model/slo.ts';
export type { Slo, RatioSlo, LatencySlo, GaugeSlo, GaugeBound, TierOptions, BurnTier } from './model/slo.ts';
export { thresholdAlert } from './model/alert.ts';
export type { ThresholdAlert } from './model/alert.ts';
export type { AlertHealthSignal } from './model/health-signal.ts';
export type { Severity } from './model/severity.ts';
export { defineTeam } from './model/team.ts';
export type { Team, Notify } from './model/team.ts';
export { slack, email, pagerduty, webhook, pager } from './model/receiver.ts';
export type {
  Receiver,
  SecretFile,
  SlackReceiver,
  EmailReceiver,
  PagerDutyReceiver,
  WebhookReceiver,
  PagerReceiver,
} from './model/receiver.ts';
export { defineRouting } from './model/routing.ts';
export type { Routing, Ladder, Digest, MaintenanceWindow } from './model/routing.ts';
export type { TimeInterval, TimePeriod, TimeRange, ClockTime, EventWindow, LocalDateTime, Weekday, Month } from './model/time-interval.ts';
export { definePolicy } from './model/policy.ts';
export type {
  Policy,
  PolicyLevels,
  ErrorRatioPolicy,
  LatencyPolicy,
  LatencyQuantilePolicy,
  LatencySpikePolicy,
  SaturationPolicy,
  ForecastPolicy,
} from './model/policy.ts';
export { defineResources } from './model/resources.ts';
export type { ResourceCatalog, ResourceGauges, ResourceMap } from './model/resources.ts';
export type { PolicyAlertKind, ResourceKind, OptOutSignal, OptOuts, Escalation } from './model/signals.ts';
export type { AbsentOptions, AbsentRule } from './model/absent.ts';
export { defineDashboard, query } from './model/dashboard.ts';
export type { DashboardDefinition } from './model/dashboard.ts';
export { defineRuleGroup, alert, record, pql, above, below } from './model/rule-group.ts';
export type {
  RuleGroup,
  AlertRule,
  RecordRule,
  Rule,
  RuleExpr,
  PromqlText,
  TypedExpr,
  Comparison,
  AlertCase,
  ExpectedAlert,
} from './model/rule-group.ts';
export { defineRouteTree } from './model/route-tree.ts';
export type { RouteTree, TreeRoute, TreeInhibitRule, ReceiverIntegrations, RouteTest } from './model/route-tree.ts';
export type { IntegrationSettings, IntegrationType, GlobalSettings } from './model/integrations.ts';
export { defineSeverities } from './model/severity.ts';
export type { Severities } from './model/severity.ts';
export { defineService } from './model/service.ts';
export type { Service, ServiceTier, Traffic } from './model/service.ts';
export { defineConfig } from './model/config.ts';
export type { PlatformConfig, AlertmanagerSettings, SmtpSettings, RemediationReceiver } from './model/config.ts';
export type {
  Targets,
  PrometheusOperatorTarget,
  AlertmanagerSecretTarget,
  GrafanaSidecarTarget,
  GrafanaOperatorTarget,
  MimirTarget,
  KubernetesName,
} from './model/targets.ts';
export { definePlaybook } from './model/playbook.ts';
export type {
  AbsolutePath,
  Action,
  ExecAction,
  HttpAction,
  HttpMethod,
  JsonValue,
  LogAction,
  OnFailure,
  Playbook,
  PlaybookMatch,
  SecretSource,
  Verify,
} from './model/playbook.ts';
