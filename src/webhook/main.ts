import { access, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { CompiledPlaybook } from '../load/playbook-file.ts';
import { AppendLog } from './append-log.ts';
import { jsonLogger, type Logger } from './log.ts';
import { webhookMetrics, type WebhookMetrics } from './metrics.ts';
import { loadPlaybooks, StartupError } from './playbooks.ts';
import { Receiver } from './receiver.ts';
import { webhookServer } from './server.ts';
import { EpisodeState } from './state.ts';

export interface WebhookOptions {
  readonly playbooksFile: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly tokenFile: string;
  readonly dryRun: boolean;
  readonly stateDir: string;
  readonly prometheus?: string;
  readonly alertmanager?: string;
  readonly queueSize: number;
  readonly concurrency: number;
  /** How long shutdown waits for running actions before interrupting them. */
  readonly shutdownTimeoutMs: number;
  readonly log?: Logger;
}

export interface RunningWebhook {
  readonly url: string;
  readonly metrics: WebhookMetrics;
  /** Stops accepting, lets running actions finish (up to the deadline), flushes the logs. */
  shutdown(): Promise<void>;
}

/** Validates everything it needs first, then listens; throws StartupError for bad input. */
export async function startWebhook(options: WebhookOptions): Promise<RunningWebhook> {
  const log = options.log ?? jsonLogger();
  const playbooks = await loadPlaybooks(options.playbooksFile);
  const token = await readToken(options.tokenFile);
  if (!options.dryRun) await checkRequirements(playbooks, options);

  const now = Date.now();
  const { state, resume, interrupted, expired } = await EpisodeState.open(options.stateDir, now);
  const audit = await AppendLog.open(path.join(options.stateDir, 'audit.jsonl'));
  const metrics = webhookMetrics();
  const abort = new AbortController();
  const receiver = new Receiver(playbooks, state, options, {
    dryRun: options.dryRun,
    prometheus: options.prometheus,
    alertmanager: options.alertmanager,
    metrics,
    log,
    audit: (entry) => audit.append(entry),
    signal: abort.signal,
  });
  for (const episode of interrupted) {
    state.finish(episode.key, 'interrupted', now);
    log('warn', 'run interrupted by a crash or kill before it finished; not re-run', {
      playbook: episode.playbook,
      fingerprint: episode.alert.fingerprint,
    });
  }
  for (const episode of expired)
    log('warn', 'queued run too old to resume; a new delivery may run it', {
      playbook: episode.playbook,
      fingerprint: episode.alert.fingerprint,
    });

  let ready = false;
  const server = webhookServer({ token, metrics, log, ready: () => ready, accept: (payload) => receiver.accept(payload, Date.now()) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  for (const episode of resume) receiver.enqueue(episode);
  ready = true;
  log('info', 'listening', { url, playbooks: playbooks.length, dryRun: options.dryRun, resumed: resume.length });

  let stopped: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    ready = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => abort.abort(), options.shutdownTimeoutMs);
    await receiver.drain();
    clearTimeout(deadline);
    server.closeAllConnections();
    await closed;
    await state.close();
    await audit.close();
    log('info', 'stopped');
  };
  return { url, metrics, shutdown: () => (stopped ??= shutdown()) };
}

/** `monforge webhook`: runs until SIGTERM or SIGINT, then shuts down gracefully; returns the exit code. */
export async function runWebhook(options: WebhookOptions): Promise<number> {
  let webhook: RunningWebhook;
  try {
    webhook = await startWebhook(options);
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    process.stderr.write(`monforge webhook: ${error.message}\n`);
    return 1;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  (options.log ?? jsonLogger())('info', `${signal}: shutting down`, {});
  await webhook.shutdown();
  return 0;
}

async function readToken(file: string): Promise<string> {
  const token = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    (error: Error) => {
      throw new StartupError(`cannot read the bearer token: ${error.message}`);
    },
  );
  if (token === '') throw new StartupError(`the token file ${file} is empty`);
  return token;
}

/** What real runs need: a Prometheus to verify against, an Alertmanager to escalate to, the header secrets. */
async function checkRequirements(playbooks: readonly CompiledPlaybook[], options: WebhookOptions): Promise<void> {
  const problems: string[] = [];
  for (const playbook of playbooks) {
    if (playbook.verify && !options.prometheus) problems.push(`playbook "${playbook.name}" verifies with PromQL: pass --prometheus URL`);
    if (playbook.onFailure.escalate && !options.alertmanager)
      problems.push(`playbook "${playbook.name}" escalates: pass --alertmanager URL`);
    for (const action of [...playbook.actions, ...playbook.onFailure.rollback, ...playbook.onResolved]) {
      if (action.kind !== 'http') continue;
      for (const [header, source] of Object.entries(action.headers)) {
        const missing =
          'env' in source
            ? process.env[source.env]
              ? undefined
              : `environment variable ${source.env} is not set`
            : await access(source.file).then(
                () => undefined,
                () => `cannot read ${source.file}`,
              );
        if (missing) problems.push(`playbook "${playbook.name}" › action "${action.name}" › header ${header}: ${missing}`);
      }
    }
  }
  if (problems.length > 0) throw new StartupError(problems.join('\n'));
}
