import path from 'node:path';
import { durationSeconds } from '../model/duration.ts';
import type { WebhookOptions } from '../webhook/main.ts';

/** `monforge webhook` options for node:util parseArgs. */
export const webhookArgs = {
  playbooks: { type: 'string', default: 'generated/remediation/playbooks.json' },
  listen: { type: 'string', default: '127.0.0.1:9095' },
  'token-file': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  'state-dir': { type: 'string', default: '.monforge/webhook' },
  prometheus: { type: 'string' },
  alertmanager: { type: 'string' },
  'queue-size': { type: 'string', default: '100' },
  concurrency: { type: 'string', default: '4' },
  'shutdown-timeout': { type: 'string', default: '30s' },
} as const;

export const webhookUsage = `  webhook --token-file FILE [--playbooks FILE] [--listen HOST:PORT] [--dry-run] [--state-dir DIR]
          [--prometheus URL] [--alertmanager URL] [--queue-size N] [--concurrency N] [--shutdown-timeout 30s]
                       run the remediation receiver Alertmanager calls (POST /alerts, /metrics, /healthz, /readyz)
`;

type Values = { [K in keyof typeof webhookArgs]?: (typeof webhookArgs)[K]['type'] extends 'boolean' ? boolean : string };

/** Parsed command-line values → options (paths resolved against `root`), or a usage message. */
export function webhookOptions(values: Values, root: string): WebhookOptions | string {
  const listen = /^(.+):([0-9]{1,5})$/.exec(values.listen ?? '');
  if (!listen || Number(listen[2]) > 65535) return `--listen must be HOST:PORT, got ${JSON.stringify(values.listen)}`;
  if (!values['token-file']) return '--token-file is required';
  const count = (name: 'queue-size' | 'concurrency'): number | string =>
    /^[1-9][0-9]*$/.test(values[name] ?? '') ? Number(values[name]) : `--${name} must be a positive integer`;
  const queueSize = count('queue-size');
  const concurrency = count('concurrency');
  const shutdown = durationSeconds(values['shutdown-timeout'] ?? '');
  if (typeof queueSize === 'string') return queueSize;
  if (typeof concurrency === 'string') return concurrency;
  if (shutdown === undefined) return '--shutdown-timeout must be a duration like 30s';
  for (const name of ['prometheus', 'alertmanager'] as const) {
    if (values[name] !== undefined && !/^https?:\/\/./.test(values[name])) return `--${name} must be an http(s) URL`;
  }
  return {
    playbooksFile: path.resolve(root, values.playbooks!),
    host: listen[1]!.replace(/^\[(.*)\]$/, '$1'),
    port: Number(listen[2]),
    tokenFile: path.resolve(root, values['token-file']),
    dryRun: values['dry-run'] ?? false,
    stateDir: path.resolve(root, values['state-dir']!),
    ...(values.prometheus === undefined ? {} : { prometheus: values.prometheus }),
    ...(values.alertmanager === undefined ? {} : { alertmanager: values.alertmanager }),
    queueSize,
    concurrency,
    shutdownTimeoutMs: shutdown * 1000,
  };
}
