import path from 'node:path';
import { durationSeconds } from '../model/duration.ts';
import type { WebhookOptions } from '../webhook/main.ts';
import { runWebhook } from '../webhook/main.ts';
import { defineCommand, orUsage, type OptionSpecs, type OptionValues } from './command.ts';

/** `monforge webhook` options for node:util parseArgs. */
export const webhookArgs = {
  playbooks: { type: 'string', default: 'generated/remediation/playbooks.json', value: 'FILE', description: 'the playbooks to run' },
  listen: { type: 'string', default: '127.0.0.1:9095', value: 'HOST:PORT', description: "where to accept Alertmanager's notifications" },
  'token-file': { type: 'string', value: 'FILE', description: 'a file holding the bearer token Alertmanager sends (required)' },
  'dry-run': { type: 'boolean', default: false, description: 'log the actions instead of running them' },
  'state-dir': {
    type: 'string',
    default: '.monforge/webhook',
    value: 'DIR',
    description: 'where accepted episodes and the audit log are kept',
  },
  prometheus: { type: 'string', value: 'URL', description: "the Prometheus that playbooks' verify queries ask" },
  alertmanager: { type: 'string', value: 'URL', description: 'the Alertmanager that escalations are posted to' },
  'queue-size': { type: 'string', default: '100', value: 'N', description: 'episodes waiting to run, at most' },
  concurrency: { type: 'string', default: '4', value: 'N', description: 'episodes running at once, at most' },
  'shutdown-timeout': { type: 'string', default: '30s', value: 'DURATION', description: 'how long SIGTERM waits for running actions' },
  'disk-timeout': {
    type: 'string',
    default: '2s',
    value: 'DURATION',
    description:
      'a write or fdatasync of the state directory slower than this makes the receiver not ready (503) until writes are fast again',
  },
} as const satisfies OptionSpecs;

type Values = OptionValues<typeof webhookArgs>;

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
  const disk = durationSeconds(values['disk-timeout'] ?? '');
  if (disk === undefined || disk <= 0) return '--disk-timeout must be a duration like 2s';
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
    diskTimeoutMs: disk * 1000,
  };
}

export const webhookCommand = defineCommand({
  name: 'webhook',
  summary: 'run the remediation receiver Alertmanager calls (POST /alerts, /metrics, /healthz, /readyz)',
  synopsis:
    '--token-file FILE [--playbooks FILE] [--listen HOST:PORT] [--dry-run] [--state-dir DIR] [--prometheus URL] [--alertmanager URL] [--queue-size N] [--concurrency N] [--shutdown-timeout 30s] [--disk-timeout 2s]',
  options: webhookArgs,
  async run({ values }, { root }) {
    return await runWebhook(orUsage(webhookOptions(values, root)));
  },
});
