import type { Duration } from './duration.ts';

// Alertmanager 0.25's receiver integrations and global settings, field by field, as data: what
// an imported routing tree may hold (`defineRouteTree`), what load validates, and from it the
// TypeScript types of those settings. Keys are Alertmanager's own (snake_case), so the
// definitions read like the alertmanager.yml people know. Every key here loads in Alertmanager
// 0.25 (test/model/integrations.test.ts asks amtool); a key of a newer release is not here and
// is refused by name on import. Secrets appear only as their `*_file` keys: an inline secret
// lives in `inlineSecrets`, with the file key Alertmanager 0.25 reads instead (or none).

/** The kind of value a field holds. */
export type FieldKind = 'string' | 'url' | 'bool' | 'int' | 'duration' | 'file' | 'strings' | 'map';
export interface Shape {
  readonly [key: string]: FieldKind | Shape | readonly [Shape];
}

const tlsConfig = {
  ca_file: 'file',
  cert_file: 'file',
  key_file: 'file',
  server_name: 'string',
  insecure_skip_verify: 'bool',
  min_version: 'string',
  max_version: 'string',
} as const satisfies Shape;

const oauth2 = {
  client_id: 'string',
  client_secret_file: 'file',
  scopes: 'strings',
  token_url: 'url',
  endpoint_params: 'map',
  tls_config: tlsConfig,
  proxy_url: 'url',
} as const satisfies Shape;

export const httpConfig = {
  basic_auth: { username: 'string', password_file: 'file' },
  authorization: { type: 'string', credentials_file: 'file' },
  oauth2,
  bearer_token_file: 'file',
  tls_config: tlsConfig,
  proxy_url: 'url',
  follow_redirects: 'bool',
  enable_http2: 'bool',
} as const satisfies Shape;

const notifier = { send_resolved: 'bool', http_config: httpConfig } as const;

export const integrationShapes = {
  email: {
    send_resolved: 'bool',
    to: 'string',
    from: 'string',
    hello: 'string',
    smarthost: 'string',
    auth_username: 'string',
    auth_password_file: 'file',
    auth_identity: 'string',
    headers: 'map',
    html: 'string',
    text: 'string',
    require_tls: 'bool',
    tls_config: tlsConfig,
  },
  pagerduty: {
    ...notifier,
    service_key_file: 'file',
    routing_key_file: 'file',
    url: 'url',
    client: 'string',
    client_url: 'string',
    description: 'string',
    details: 'map',
    images: [{ src: 'string', alt: 'string', href: 'string' }],
    links: [{ href: 'string', text: 'string' }],
    source: 'string',
    severity: 'string',
    class: 'string',
    component: 'string',
    group: 'string',
  },
  slack: {
    ...notifier,
    api_url_file: 'file',
    channel: 'string',
    username: 'string',
    color: 'string',
    title: 'string',
    title_link: 'string',
    pretext: 'string',
    text: 'string',
    fields: [{ title: 'string', value: 'string', short: 'bool' }],
    short_fields: 'bool',
    footer: 'string',
    fallback: 'string',
    callback_id: 'string',
    icon_emoji: 'string',
    icon_url: 'string',
    image_url: 'string',
    thumb_url: 'string',
    link_names: 'bool',
    mrkdwn_in: 'strings',
    actions: [
      {
        type: 'string',
        text: 'string',
        url: 'string',
        style: 'string',
        name: 'string',
        value: 'string',
        confirm: { text: 'string', title: 'string', ok_text: 'string', dismiss_text: 'string' },
      },
    ],
  },
  webhook: { ...notifier, url: 'url', max_alerts: 'int' },
  opsgenie: {
    ...notifier,
    api_key_file: 'file',
    api_url: 'url',
    message: 'string',
    description: 'string',
    source: 'string',
    details: 'map',
    entity: 'string',
    responders: [{ id: 'string', name: 'string', username: 'string', type: 'string' }],
    actions: 'string',
    tags: 'string',
    note: 'string',
    priority: 'string',
    update_alerts: 'bool',
  },
  wechat: {
    ...notifier,
    corp_id: 'string',
    message: 'string',
    api_url: 'url',
    to_user: 'string',
    to_party: 'string',
    to_tag: 'string',
    agent_id: 'string',
    message_type: 'string',
  },
  victorops: {
    ...notifier,
    api_key_file: 'file',
    api_url: 'url',
    routing_key: 'string',
    message_type: 'string',
    state_message: 'string',
    entity_display_name: 'string',
    monitoring_tool: 'string',
    custom_fields: 'map',
  },
  pushover: {
    ...notifier,
    title: 'string',
    message: 'string',
    url: 'string',
    url_title: 'string',
    sound: 'string',
    priority: 'string',
    retry: 'duration',
    expire: 'duration',
    html: 'bool',
  },
  sns: {
    ...notifier,
    api_url: 'string',
    sigv4: { region: 'string', access_key: 'string', profile: 'string', role_arn: 'string' },
    topic_arn: 'string',
    phone_number: 'string',
    target_arn: 'string',
    subject: 'string',
    message: 'string',
    attributes: 'map',
  },
  telegram: {
    ...notifier,
    api_url: 'url',
    chat_id: 'int',
    message: 'string',
    disable_notifications: 'bool',
    parse_mode: 'string',
  },
  webex: { ...notifier, api_url: 'url', message: 'string', room_id: 'string' },
  discord: { ...notifier, title: 'string', message: 'string' },
} as const satisfies Readonly<Record<string, Shape>>;

/** The integrations of Alertmanager 0.25: `email`, `pagerduty`, `slack`, `webhook`, `opsgenie`, `wechat`, `victorops`, `pushover`, `sns`, `telegram`, `webex`, `discord`. */
export type IntegrationType = keyof typeof integrationShapes;

export const globalShape = {
  resolve_timeout: 'duration',
  http_config: httpConfig,
  smtp_from: 'string',
  smtp_hello: 'string',
  smtp_smarthost: 'string',
  smtp_auth_username: 'string',
  smtp_auth_password_file: 'file',
  smtp_auth_identity: 'string',
  smtp_require_tls: 'bool',
  slack_api_url_file: 'file',
  pagerduty_url: 'url',
  opsgenie_api_url: 'url',
  opsgenie_api_key_file: 'file',
  wechat_api_url: 'url',
  wechat_api_corp_id: 'string',
  victorops_api_url: 'url',
  victorops_api_key_file: 'file',
  telegram_api_url: 'url',
  webex_api_url: 'url',
} as const satisfies Shape;

/**
 * Secret keys by where they sit (`slack`, `global`, `http_config`, …): the file key Alertmanager
 * 0.25 reads instead, or null where 0.25 has none (such a secret cannot be imported).
 */
export const inlineSecrets: Readonly<Record<string, Readonly<Record<string, string | null>>>> = {
  global: {
    smtp_auth_password: 'smtp_auth_password_file',
    smtp_auth_secret: null,
    slack_api_url: 'slack_api_url_file',
    opsgenie_api_key: 'opsgenie_api_key_file',
    victorops_api_key: 'victorops_api_key_file',
    wechat_api_secret: null,
  },
  http_config: { bearer_token: 'bearer_token_file' },
  basic_auth: { password: 'password_file' },
  authorization: { credentials: 'credentials_file' },
  oauth2: { client_secret: 'client_secret_file' },
  sigv4: { secret_key: null },
  email: { auth_password: 'auth_password_file', auth_secret: null },
  pagerduty: { service_key: 'service_key_file', routing_key: 'routing_key_file' },
  slack: { api_url: 'api_url_file' },
  opsgenie: { api_key: 'api_key_file' },
  wechat: { api_secret: null },
  victorops: { api_key: 'api_key_file' },
  pushover: { user_key: null, token: null },
  telegram: { bot_token: null },
  discord: { webhook_url: null },
};

/** Keys of newer Alertmanager releases, by where they sit: refused by name with the release that reads them. */
export const newerKeys: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  config: { tracing: '0.28' },
  receiver: { msteams_configs: '0.26', msteamsv2_configs: '0.28', jira_configs: '0.28', rocketchat_configs: '0.28' },
  webhook: { url_file: '0.26', timeout: '0.28' },
  pushover: { user_key_file: '0.26', token_file: '0.26', device: '0.26', ttl: '0.26', monospace: '0.27' },
  telegram: { bot_token_file: '0.26', message_thread_id: '0.27' },
  discord: { webhook_url_file: '0.26', content: '0.28', username: '0.28', avatar_url: '0.28' },
  slack: { edit_messages: '0.29' },
  global: { jira_api_url: '0.28', rocketchat_api_url: '0.28', smtp_tls_config: '0.28' },
  http_config: { no_proxy: '0.26', proxy_from_environment: '0.26' },
};

type ValueOf<K> = K extends 'duration'
  ? Duration
  : K extends 'bool'
    ? boolean
    : K extends 'int'
      ? number
      : K extends 'strings'
        ? readonly string[]
        : K extends 'map'
          ? Readonly<Record<string, string>>
          : K extends 'file'
            ? `/${string}`
            : string;

/** The settings a shape describes: every key optional, Alertmanager checks what each integration requires. */
export type SettingsOf<S> = {
  readonly [K in keyof S]?: S[K] extends readonly [infer E]
    ? readonly SettingsOf<E>[]
    : S[K] extends string
      ? ValueOf<S[K]>
      : SettingsOf<S[K]>;
};

/** The settings of one integration type, Alertmanager 0.25's own keys (secrets only as `*_file`). */
export type IntegrationSettings<T extends IntegrationType> = SettingsOf<(typeof integrationShapes)[T]>;
/** Alertmanager 0.25's `global` settings (secrets only as `*_file`). */
export type GlobalSettings = SettingsOf<typeof globalShape>;
