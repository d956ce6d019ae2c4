import type { Duration } from '../../model/duration.ts';
import type { MatchOp } from '../../model/selector.ts';

// Alertmanager's configuration, as far as monforge writes it: only keys Alertmanager 0.25
// knows (it rejects unknown ones). Matchers stay structured until the file is written, so
// `monforge routes` can evaluate the tree without parsing them back.

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

export interface Route {
  readonly receiver: string;
  readonly group_by?: readonly string[];
  readonly continue?: boolean;
  readonly matchers?: readonly LabelMatcher[];
  readonly group_wait?: Duration;
  readonly group_interval?: Duration;
  readonly repeat_interval?: Duration;
  readonly mute_time_intervals?: readonly string[];
  readonly active_time_intervals?: readonly string[];
  readonly routes?: readonly Route[];
}

export interface InhibitRule {
  readonly source_matchers: readonly LabelMatcher[];
  readonly target_matchers: readonly LabelMatcher[];
  readonly equal?: readonly string[];
}

interface Delivery {
  readonly send_resolved: boolean;
}

export interface EmailConfig extends Delivery {
  readonly to: string;
}

export type PagerDutyConfig = Delivery & ({ readonly routing_key_file: string } | { readonly service_key_file: string });

export interface SlackConfig extends Delivery {
  readonly api_url_file: string;
  readonly channel: string;
}

export interface WebhookConfig extends Delivery {
  readonly url: string;
  /** 0: every alert of the notification (the default, written out for the reader). */
  readonly max_alerts?: number;
  readonly http_config?: { readonly authorization: { readonly credentials_file: string } };
}

export interface Receiver {
  readonly name: string;
  /** Any other integration of Alertmanager 0.25, as a route tree of the definitions writes it. */
  readonly [integration: `${string}_configs`]: readonly object[] | undefined;
  readonly email_configs?: readonly EmailConfig[];
  readonly pagerduty_configs?: readonly PagerDutyConfig[];
  readonly slack_configs?: readonly SlackConfig[];
  readonly webhook_configs?: readonly WebhookConfig[];
}

export interface TimePeriod {
  readonly times?: readonly { readonly start_time: string; readonly end_time: string }[];
  readonly weekdays?: readonly string[];
  readonly days_of_month?: readonly string[];
  readonly months?: readonly string[];
  readonly years?: readonly string[];
  readonly location?: string;
}

export interface TimeInterval {
  readonly name: string;
  readonly time_intervals: readonly TimePeriod[];
}

export interface Global {
  readonly resolve_timeout: Duration;
  /** The other global settings a route tree of the definitions sets. */
  readonly [setting: string]: unknown;
  readonly smtp_from?: string;
  readonly smtp_smarthost?: string;
  readonly smtp_auth_username?: string;
  readonly smtp_auth_password_file?: string;
  readonly smtp_require_tls?: boolean;
}

export interface AlertmanagerConfig {
  readonly global: Global;
  readonly route: Route;
  readonly inhibit_rules: readonly InhibitRule[];
  readonly receivers: readonly Receiver[];
  readonly time_intervals?: readonly TimeInterval[];
  readonly templates?: readonly string[];
}
