/**
 * The absolute path of a file holding a secret. Alertmanager reads it each time it sends, so
 * secrets never appear in definitions or generated files (an inline secret is a load error).
 */
export type SecretFile = `/${string}`;

interface Delivery {
  /** Also notify when the alert resolves; default true. */
  readonly sendResolved?: boolean;
}

/** A Slack incoming webhook; its URL is the secret. */
export interface SlackReceiver extends Delivery {
  readonly kind: 'slack';
  readonly channel: `#${string}` | `@${string}`;
  readonly apiUrlFile: SecretFile;
}

/** Email through the SMTP server of `defineConfig({ alertmanager: { smtp } })`. */
export interface EmailReceiver extends Delivery {
  readonly kind: 'email';
  readonly to: string;
}

/** PagerDuty: Events API v2 (`routingKeyFile`) or the older integration key (`serviceKeyFile`). */
export type PagerDutyReceiver = Delivery & { readonly kind: 'pagerduty' } & (
    | { readonly routingKeyFile: SecretFile; readonly serviceKeyFile?: never }
    | { readonly serviceKeyFile: SecretFile; readonly routingKeyFile?: never }
  );

interface WebhookOptions extends Delivery {
  /** Alertmanager 0.25 has no `url_file`: the URL is not secret; authenticate with `credentialsFile`. */
  readonly url: string;
  /** Bearer token sent as `Authorization: Bearer <file content>`. */
  readonly credentialsFile?: SecretFile;
}

/** A generic webhook (Alertmanager's webhook payload, version 4). */
export interface WebhookReceiver extends WebhookOptions {
  readonly kind: 'webhook';
}

/** An SMS or pager gateway reached by webhook; it pages, like PagerDuty. */
export interface PagerReceiver extends WebhookOptions {
  readonly kind: 'pager';
}

/** Any receiver. */
export type Receiver = SlackReceiver | EmailReceiver | PagerDutyReceiver | WebhookReceiver | PagerReceiver;

/** Receivers that wake someone up: critical alerts must reach one of them. */
export const pagingKinds: readonly Receiver['kind'][] = ['pagerduty', 'pager'];

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A Slack receiver. */
export const slack = (options: Omit<SlackReceiver, 'kind'>): SlackReceiver => ({ kind: 'slack', ...options });
/** An e-mail receiver (SMTP settings in `defineConfig`). */
export const email = (options: Omit<EmailReceiver, 'kind'>): EmailReceiver => ({ kind: 'email', ...options });
/** A PagerDuty receiver (`routingKeyFile`, or the older `serviceKeyFile`). */
export const pagerduty = (options: Without<PagerDutyReceiver, 'kind'>): PagerDutyReceiver =>
  ({ kind: 'pagerduty', ...options }) as PagerDutyReceiver;
/** A generic webhook receiver. */
export const webhook = (options: Omit<WebhookReceiver, 'kind'>): WebhookReceiver => ({ kind: 'webhook', ...options });
/** An SMS/pager gateway reached by webhook; it pages. */
export const pager = (options: Omit<PagerReceiver, 'kind'>): PagerReceiver => ({ kind: 'pager', ...options });
