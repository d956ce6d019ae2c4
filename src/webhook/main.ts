import { access, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { seconds } from '../model/duration.ts';
import type { CompiledPlaybook } from '../load/playbook-file.ts';
import { AppendLog } from './append-log.ts';
import { escalationDefaults } from './escalate.ts';
import { jsonLogger, type Logger } from './log.ts';
import { webhookMetrics, type WebhookMetrics } from './metrics.ts';
import { loadPlaybooks, StartupError } from './playbooks.ts';
import { endLeftovers, killEndingGroups } from './process-groups.ts';
import { Receiver } from './receiver.ts';
import { auditEntry, type RunContext } from './run-episode.ts';
import { stateStalled, stateUnwritable, webhookServer } from './server.ts';
import { EpisodeState } from './state.ts';
import { storageHealth } from './storage-health.ts';

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
  /** A write or fdatasync of the state directory running longer marks the receiver not ready (2 s unless given). */
  readonly diskTimeoutMs?: number;
  /** Per-attempt timeout and attempts of escalations (10 s, 3 unless given). */
  readonly limits?: { readonly escalationTimeoutMs?: number; readonly escalationAttempts?: number };
  readonly log?: Logger;
}

export interface RunningWebhook {
  readonly url: string;
  readonly metrics: WebhookMetrics;
  /**
   * Stops accepting (503 to new notifications), lets running actions finish up to the
   * shutdown timeout, then interrupts them; returns within the timeout plus the longest
   * `killAfter` plus about a second to flush the logs.
   */
  shutdown(): Promise<void>;
}

/** After the drain: how long closing the logs (their last write and fsync) may take. */
const flushMs = 1000;
export const defaultDiskTimeoutMs = 2000;

/** Validates everything it needs first, then listens; throws StartupError for bad input. */
export async function startWebhook(options: WebhookOptions): Promise<RunningWebhook> {
  const log = options.log ?? jsonLogger();
  const playbooks = await loadPlaybooks(options.playbooksFile);
  const token = await readToken(options.tokenFile);
  if (!options.dryRun) await checkRequirements(playbooks, options);

  const metrics = webhookMetrics();
  const storage = storageHealth(metrics, log, options.stateDir, options.diskTimeoutMs ?? defaultDiskTimeoutMs);
  const now = Date.now();
  const stateFile = path.join(options.stateDir, 'state.jsonl');
  const auditFile = path.join(options.stateDir, 'audit.jsonl');
  const opened = await EpisodeState.open(options.stateDir, now, {
    ...storage.events(stateFile),
    synced: (duration) => metrics.stateSync.observe(duration),
  });
  const { state } = opened;
  const audit = await AppendLog.open(auditFile, storage.events(auditFile)).catch(async (error: Error) => {
    await state.close();
    throw new StartupError(`cannot write the state directory ${options.stateDir}: ${error.message}`);
  });
  if (opened.skipped > 0) log('warn', 'skipped unreadable records of the state file', { file: stateFile, records: opened.skipped });
  const abort = new AbortController();
  const context: RunContext = {
    dryRun: options.dryRun,
    prometheus: options.prometheus,
    alertmanager: options.alertmanager,
    escalation: {
      timeoutMs: options.limits?.escalationTimeoutMs ?? escalationDefaults.timeoutMs,
      attempts: options.limits?.escalationAttempts ?? escalationDefaults.attempts,
    },
    metrics,
    log,
    audit: (entry) => audit.append(entry),
    escalations: {
      due: (key, reason) => state.escalationDue(key, reason, Date.now()),
      done: (key, outcome) => state.escalated(key, outcome, Date.now()),
    },
    groups: {
      started: (key, group) => state.groupStarted(key, group, Date.now()),
      ended: (key, pgid) => state.groupEnded(key, pgid, Date.now()),
    },
    signal: abort.signal,
  };
  const receiver = new Receiver(playbooks, state, options, context, storage);
  // What a killed receiver left running is ended before its runs are marked interrupted.
  await endLeftovers(opened.groups, log, context.groups.ended);
  for (const episode of opened.interrupted) {
    state.finish(episode.key, 'interrupted', now);
    const detail = 'the receiver stopped (crash or kill) during this run; it is not run again';
    audit.append(auditEntry(episode.playbook, episode, { step: 'run', action: '', kind: '' }, { outcome: 'interrupted', detail }, 0));
    log('warn', 'run interrupted by a crash or kill before it finished; not re-run', {
      playbook: episode.playbook,
      fingerprint: episode.alert.fingerprint,
    });
  }
  for (const episode of opened.expired)
    log('warn', 'queued run too old to resume; a new delivery may run it', {
      playbook: episode.playbook,
      fingerprint: episode.alert.fingerprint,
    });

  let phase: 'starting' | 'running' | 'stopping' = 'starting';
  const unavailable = (): string | undefined => {
    if (phase !== 'running') return phase === 'starting' ? 'starting' : 'shutting down';
    if (storage.failing()) return stateUnwritable;
    return storage.stalled() ? stateStalled : undefined;
  };
  const server = webhookServer({ token, metrics, log, unavailable, accept: (payload) => receiver.accept(payload) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      void Promise.all([state.close(), audit.close()]).finally(() =>
        reject(new StartupError(`cannot listen on ${options.host}:${options.port}: ${error.message}`)),
      );
    });
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  for (const episode of opened.resume) receiver.enqueue(episode);
  for (const { episode, reason } of opened.escalations) {
    if (options.alertmanager && !options.dryRun) receiver.escalateAgain(episode, reason);
    else
      log('warn', 'RemediationFailed due from before the restart, not sent without --alertmanager', {
        playbook: episode.playbook,
        fingerprint: episode.alert.fingerprint,
      });
  }
  phase = 'running';
  log('info', 'listening', { url, playbooks: playbooks.length, dryRun: options.dryRun, resumed: opened.resume.length });

  const killAfterMs = Math.max(
    0,
    ...playbooks.flatMap((playbook) =>
      [...playbook.actions, ...playbook.onFailure.rollback, ...playbook.onResolved].map((action) =>
        action.kind === 'exec' ? seconds(action.killAfter) * 1000 : 0,
      ),
    ),
  );
  let stopped: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    // New notifications get 503 (the listener stays open until the end, so they are answered, and
    // with `connection: close`: idle connections are not closed under a client about to reuse them).
    phase = 'stopping';
    const interrupt = setTimeout(() => abort.abort(), options.shutdownTimeoutMs);
    // Interrupted programs end within killAfter; a run stuck anyway is left behind.
    const drained = await within(receiver.drain(), options.shutdownTimeoutMs + killAfterMs + 500);
    clearTimeout(interrupt);
    abort.abort();
    killEndingGroups();
    storage.stop();
    const flushed = await within(Promise.all([state.close(), audit.close()]), flushMs);
    server.close();
    server.closeAllConnections();
    if (drained && flushed) log('info', 'stopped');
    else log('error', `stopped at the shutdown deadline: ${drained ? 'the logs were not flushed' : 'runs were still running'}`);
  };
  return { url, metrics, shutdown: () => (stopped ??= shutdown()) };
}

/** Whether `work` succeeded within `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => false,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
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
  // Whatever shutdown left behind (a stuck run's socket) does not keep the process alive.
  setTimeout(() => process.exit(), 500).unref();
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
