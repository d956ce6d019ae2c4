import type { Duration } from '../../model/duration.ts';

/** A Prometheus recording rule, keys in the order Prometheus documents them. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: Duration;
  readonly keep_firing_for?: Duration;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  /** Only set where a group must run at its own pace: faster (outage) or slower (long SLO windows) than the global interval. */
  readonly interval?: Duration;
  readonly rules: readonly Rule[];
}

export const isAlertingRule = (rule: Rule): rule is AlertingRule => 'alert' in rule;
