import type { Platform } from '../../model/platform.ts';
import type { Receiver as Integration } from '../../model/receiver.ts';
import { severities } from '../../model/severity.ts';
import { platformReceivers, teamReceiver } from './names.ts';
import type { Receiver, WebhookConfig } from './types.ts';

/** Every receiver the route tree names, sorted by name. */
export function receivers(platform: Platform): Receiver[] {
  const { routing, config } = platform;
  const all: Receiver[] = [];
  if (routing?.stakeholders) all.push(receiver(platformReceivers.stakeholders, routing.stakeholders));
  else all.push({ name: platformReceivers.unrouted });
  if (routing?.digest) all.push(receiver(platformReceivers.digest, routing.digest.receivers));
  if (config.remediation && platform.playbooks.length > 0) {
    all.push({
      name: platformReceivers.remediation,
      // Every alert, resolved ones too, so the receiver can act on each alert's own status.
      webhook_configs: [{ url: config.remediation.url, send_resolved: true, max_alerts: 0, ...bearer(config.remediation.credentialsFile) }],
    });
  }
  for (const team of platform.teams) {
    for (const severity of severities) {
      const names = team.notify[severity];
      if (names)
        all.push(
          receiver(
            teamReceiver(team.name, severity),
            names.map((name) => team.receivers[name]!),
          ),
        );
    }
  }
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One Alertmanager receiver holding every integration, grouped by type in Alertmanager's order. */
function receiver(name: string, integrations: readonly Integration[]): Receiver {
  const of = <K extends Integration['kind']>(...kinds: K[]): Extract<Integration, { kind: K }>[] =>
    integrations.filter((each): each is Extract<Integration, { kind: K }> => (kinds as string[]).includes(each.kind));
  const email = of('email').map((each) => ({ to: each.to, send_resolved: each.sendResolved ?? true }));
  const pagerduty = of('pagerduty').map((each) =>
    each.routingKeyFile
      ? { routing_key_file: each.routingKeyFile, send_resolved: each.sendResolved ?? true }
      : { service_key_file: each.serviceKeyFile!, send_resolved: each.sendResolved ?? true },
  );
  const slack = of('slack').map((each) => ({
    api_url_file: each.apiUrlFile,
    channel: each.channel,
    send_resolved: each.sendResolved ?? true,
  }));
  const webhook = of('webhook', 'pager').map(
    (each): WebhookConfig => ({ url: each.url, send_resolved: each.sendResolved ?? true, ...bearer(each.credentialsFile) }),
  );
  return {
    name,
    ...(email.length > 0 && { email_configs: email }),
    ...(pagerduty.length > 0 && { pagerduty_configs: pagerduty }),
    ...(slack.length > 0 && { slack_configs: slack }),
    ...(webhook.length > 0 && { webhook_configs: webhook }),
  };
}

function bearer(file: string | undefined): Pick<WebhookConfig, 'http_config'> {
  return file ? { http_config: { authorization: { credentials_file: file } } } : {};
}
