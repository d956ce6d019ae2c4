import { seconds } from '../model/duration.ts';
import type { CompiledPlaybook } from '../load/playbook-file.ts';
import { Fifo } from './fifo.ts';
import type { WebhookMetrics } from './metrics.ts';
import type { Alert, Payload } from './payload.ts';
import { playbookMatcher } from './playbooks.ts';
import { runEpisode, sendEscalation, type RunContext } from './run-episode.ts';
import { episodeKey, type Episode, type EpisodeState } from './state.ts';
import type { StorageHealth } from './storage-health.ts';

const firingLabels = { status: 'firing' };
const resolvedLabels = { status: 'resolved' };

export interface ReceiverOptions {
  readonly queueSize: number;
  readonly concurrency: number;
}

/** 'unavailable': the accepted records could not be written (Alertmanager delivers the notification again). */
export type Verdict = 'accepted' | 'unavailable';

/**
 * Decides which episodes run (dedupe, cooldown, hourly limit) and runs them from a bounded
 * queue with a global concurrency cap, off the request path, one at a time per alert and playbook.
 */
export class Receiver {
  /** Episodes waiting for a worker, in order. */
  private readonly queue = new Fifo<Episode>();
  /** Episodes whose alert has a run in progress (by playbook + fingerprint): queued again, first, when it ends. */
  private readonly waiting = new Map<string, Episode[]>();
  private waitingCount = 0;
  /** Episodes accepted whose records are on their way to the disk: they count against the queue's size. */
  private committing = 0;
  private running = 0;
  /** Playbook + fingerprint of the runs in progress: an alert's resolved run waits for its firing run. */
  private readonly busy = new Set<string>();
  private stopping = false;
  private idle: (() => void)[] = [];
  private readonly byName: Map<string, CompiledPlaybook>;
  private readonly matching: (labels: Readonly<Record<string, string>>) => CompiledPlaybook[];
  /** Skipped episodes already reported, with the reason. */
  private readonly reported = new Map<string, string>();

  constructor(
    playbooks: readonly CompiledPlaybook[],
    private readonly state: EpisodeState,
    private readonly options: ReceiverOptions,
    private readonly context: RunContext,
    private readonly storage: Pick<StorageHealth, 'onStall'>,
  ) {
    this.byName = new Map(playbooks.map((playbook) => [playbook.name, playbook]));
    this.matching = playbookMatcher(playbooks);
  }

  /**
   * Queues the new episodes of the payload that may run now and fit in the queue, in the
   * payload's order; the others are reported, once per episode, with their reason: skipped
   * (cooldown, rate_limit) or deferred (queue_full). Either way the notification is acknowledged
   * (whether it is does not depend on how full the queue happens to be), and a re-delivery (at
   * every group_interval while the alert fires) checks them again. A notification that
   * brings new episodes, or repeats one whose record is not on disk yet, is answered once the
   * records are on disk: the promise.
   */
  accept(payload: Payload): Verdict | Promise<Verdict> {
    // Wall time is what the record keeps; cooldowns and the hourly limit run on the monotonic clock.
    const at = Date.now();
    const now = performance.now();
    const { metrics } = this.context;
    let room = this.options.queueSize - this.queue.length - this.waitingCount - this.committing;
    const accepted: Episode[] = [];
    let unconfirmed = false;
    for (const alert of payload.alerts) {
      for (const playbook of this.matching(alert.labels)) {
        if (alert.status === 'resolved' && playbook.onResolved.length === 0) continue; // firing-only by default
        const key = episodeKey(playbook.name, alert);
        if (this.state.has(key)) {
          metrics.dedupeHits.inc();
          if (!this.state.confirmed(key)) unconfirmed = true;
          continue;
        }
        const target = JSON.stringify(playbook.target.map((label) => alert.labels[label] ?? ''));
        const skip = this.skipReason(playbook, alert, target, now);
        if (skip) {
          this.report(key, skip, metrics.skipped, { playbook: playbook.name, fingerprint: alert.fingerprint, target });
          continue;
        }
        // A resolved alert is not delivered again once acknowledged: its run (one per firing run
        // that happened) is never deferred.
        if (room <= 0 && alert.status === 'firing') {
          this.report(key, 'queue_full', metrics.deferred, { playbook: playbook.name, fingerprint: alert.fingerprint, target });
          continue;
        }
        room -= 1;
        const episode: Episode = { key, playbook: playbook.name, target, alert, at };
        this.state.accept(episode, now);
        accepted.push(episode);
      }
    }
    if (accepted.length === 0 && !unconfirmed) return this.acknowledged(payload);
    this.committing += accepted.length;
    const committed = this.state.commit(accepted).then(
      () => {
        this.committing -= accepted.length;
        for (const episode of accepted) this.enqueue(episode);
        return true;
      },
      () => {
        this.committing -= accepted.length;
        return false;
      },
    );
    // A stalled disk answers 503 at once rather than when the write returns: what was accepted
    // stays accepted and is queued once on disk (a re-delivery is then acknowledged).
    return new Promise((resolve) => {
      let answered = false;
      const stop = this.storage.onStall(() => {
        answered = true;
        resolve('unavailable');
      });
      void committed.then((written) => {
        stop();
        if (!answered) resolve(written ? this.acknowledged(payload) : 'unavailable');
      });
    });
  }

  /** Queues an episode accepted before a restart, whatever the queue's size. */
  enqueue(episode: Episode): void {
    this.queue.push(episode);
    this.pump();
  }

  /** Posts a RemediationFailed alert that was due when the receiver last stopped. */
  escalateAgain(episode: Episode, reason: string): void {
    this.track(sendEscalation(episode, reason, this.context).then(() => {}));
  }

  /** Starts nothing new; resolves when the running episodes have finished. */
  drain(): Promise<void> {
    this.stopping = true;
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  /** Counted once acknowledged: a notification answered 503 is delivered again. */
  private acknowledged(payload: Payload): 'accepted' {
    let firing = 0;
    for (const alert of payload.alerts) if (alert.status === 'firing') firing += 1;
    if (firing > 0) this.context.metrics.notifications.inc(firingLabels, firing);
    if (payload.alerts.length > firing) this.context.metrics.notifications.inc(resolvedLabels, payload.alerts.length - firing);
    return 'accepted';
  }

  /**
   * Logs and counts an episode not run now, once: a re-delivery of it is checked again (it runs
   * once the limit or the queue allows) but not reported anew at every group_interval.
   */
  private report(
    key: string,
    reason: string,
    counter: WebhookMetrics['skipped'],
    fields: { playbook: string; fingerprint: string; target: string },
  ): void {
    if (this.reported.get(key) === reason) return;
    if (this.reported.size >= 10_000) this.reported.clear();
    this.reported.set(key, reason);
    counter.inc({ playbook: fields.playbook, reason });
    this.context.log('info', reason === 'queue_full' ? 'deferred: queue full' : `not running: ${reason}`, fields);
  }

  private skipReason(playbook: CompiledPlaybook, alert: Alert, target: string, now: number): string | undefined {
    if (alert.status === 'resolved') {
      // Resolve actions undo or complete a firing run; without one there is nothing to complete.
      return this.state.has(episodeKey(playbook.name, { ...alert, status: 'firing' })) ? undefined : 'not_run_when_firing';
    }
    if (this.state.inCooldown(playbook.name, target, seconds(playbook.cooldown) * 1000, now)) return 'cooldown';
    if (this.state.runsInLastHour(playbook.name, now) >= playbook.maxRunsPerHour) return 'rate_limit';
    return undefined;
  }

  /**
   * Starts queued episodes while workers are free; one whose alert has a run in progress waits
   * for it aside. Each step costs the same however long the queue.
   */
  private pump(): void {
    while (!this.stopping && this.running < this.options.concurrency) {
      const episode = this.queue.shift();
      if (!episode) break;
      const alert = JSON.stringify([episode.playbook, episode.alert.fingerprint]);
      if (this.busy.has(alert)) {
        const later = this.waiting.get(alert);
        if (later) later.push(episode);
        else this.waiting.set(alert, [episode]);
        this.waitingCount += 1;
        continue;
      }
      this.busy.add(alert);
      this.track(this.run(episode).finally(() => this.release(alert)));
    }
    this.context.metrics.queueDepth.set(this.queue.length + this.waitingCount);
  }

  /** The alert's run has ended: its next episode, if one waits, goes first. */
  private release(alert: string): void {
    this.busy.delete(alert);
    const later = this.waiting.get(alert);
    if (!later) return;
    this.queue.unshift(later.shift()!);
    this.waitingCount -= 1;
    if (later.length === 0) this.waiting.delete(alert);
  }

  private async run(episode: Episode): Promise<void> {
    const playbook = this.byName.get(episode.playbook);
    let outcome = 'unknown_playbook'; // accepted before a restart with a playbooks file that dropped it
    try {
      // An acknowledged run goes ahead even when its start cannot be recorded (the state directory
      // fails: logged, and new notifications are answered 503); a crash before the disk recovers
      // may then run it again.
      await this.state.start(episode.key, Date.now()).catch(() => {});
      if (playbook) outcome = await runEpisode(playbook, episode, this.context);
    } catch (error) {
      outcome = 'error';
      this.context.log('error', 'run failed', {
        playbook: episode.playbook,
        fingerprint: episode.alert.fingerprint,
        error: (error as Error).stack,
      });
    }
    this.state.finish(episode.key, outcome, Date.now());
    this.context.metrics.runs.inc({ playbook: episode.playbook, outcome });
    this.context.log('info', `run ${outcome}`, {
      playbook: episode.playbook,
      fingerprint: episode.alert.fingerprint,
      status: episode.alert.status,
    });
  }

  /** Work that shutdown waits for; the next queued episode starts when it ends. */
  private track(work: Promise<void>): void {
    this.running += 1;
    this.context.metrics.running.set(this.running);
    const done = (error?: unknown): void => {
      if (error) this.context.log('error', 'run failed', { error: (error as Error).stack });
      this.running -= 1;
      this.context.metrics.running.set(this.running);
      if (this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
      this.pump();
    };
    work.then(() => done(), done);
  }
}
