// The local overlay for Alertmanager: the generated route tree, inhibit rules and time
// intervals as they are; every receiver's integrations replaced by a webhook to the capture
// server, and the remediation receiver pointed at the local webhook receiver.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { toYaml } from '../../src/output/serialize.ts';

interface Receiver {
  name: string;
  [integration: string]: unknown;
}

export interface AlertmanagerOverlay {
  readonly generatedConfig: string;
  readonly captureUrl: string;
  /** The remediation receiver: its URL in the generated config, and where the local one listens. */
  readonly remediation?: { readonly generatedUrl: string; readonly url: string; readonly tokenFile: string };
}

export async function writeAlertmanagerConfig(dir: string, overlay: AlertmanagerOverlay): Promise<string> {
  const config = parse(await readFile(overlay.generatedConfig, 'utf8')) as { global?: Record<string, unknown>; receivers: Receiver[] };
  // SMTP and API secrets live on a real Alertmanager host; nothing here sends e-mail or Slack.
  config.global = { resolve_timeout: config.global?.resolve_timeout ?? '5m' };
  config.receivers = config.receivers.map((receiver) => {
    const calls = ((receiver.webhook_configs ?? []) as { url?: string }[]).map((config) => config.url);
    const remediation = overlay.remediation && calls.includes(overlay.remediation.generatedUrl) ? overlay.remediation : undefined;
    const webhook = remediation
      ? {
          url: remediation.url,
          send_resolved: true,
          max_alerts: 0,
          http_config: { authorization: { type: 'Bearer', credentials_file: remediation.tokenFile } },
        }
      : { url: `${overlay.captureUrl}/receiver/${encodeURIComponent(receiver.name)}`, send_resolved: true };
    return { name: receiver.name, webhook_configs: [webhook] };
  });
  const file = path.join(dir, 'alertmanager.yml');
  await writeFile(file, toYaml(config));
  return file;
}
