import { seconds } from '../model/duration.ts';
import type { CompiledPlaybook } from '../load/playbook-file.ts';
import type { Alert, Payload } from './payload.ts';
import { playbookMatcher } from './playbooks.ts';
import { runEpisode, type RunContext } from './run-episode.ts';
import { episodeKey, type Episode, type EpisodeState } from './state.ts';

const firingLabels = { status: 'firing' };
const resolvedLabels = { status: 'resolved' };

export interface ReceiverOptions {
  readonly queueSize: number;
  readonly concurrency: number;
}

/**
 * Decides which episodes run (dedupe, cooldown, hourly limit) and runs them from a bounded
 * queue with a global concurrency cap, off the request path.
 */
export class Receiver {
  private readonly queue: Episode[] = [];
  private running = 0;
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
  ) {
    this.byName = new Map(playbooks.map((playbook) => [playbook.name, playbook]));
    this.matching = playbookMatcher(playbooks);
  }

  /**
   * Queues every new episode of the payload, or none of them and returns 'full' when they
   * might not all fit (Alertmanager then retries the whole notification).
   */
  accept(payload: Payload, now: number): 'accepted' | 'full' {
    const { metrics } = this.context;
    const candidates: { playbook: CompiledPlaybook; alert: Alert; key: string }[] = [];
    let firing = 0;
    for (const alert of payload.alerts) {
      if (alert.status === 'firing') firing += 1;
      for (const playbook of this.matching(alert.labels)) {
        if (alert.status === 'resolved' && playbook.onResolved.length === 0) continue; // firing-only by default
        const key = episodeKey(playbook.name, alert);
        if (this.state.has(key)) metrics.dedupeHits.inc();
        else candidates.push({ playbook, alert, key });
      }
    }
    // Counted once per payload and status, not per alert.
    if (firing > 0) metrics.notifications.inc(firingLabels, firing);
    if (payload.alerts.length > firing) metrics.notifications.inc(resolvedLabels, payload.alerts.length - firing);
    if (candidates.length > this.options.queueSize - this.queue.length) return 'full';
    for (const { playbook, alert, key } of candidates) {
      if (this.state.has(key)) {
        metrics.dedupeHits.inc(); // the same alert twice in one payload
        continue;
      }
      const target = JSON.stringify(playbook.target.map((label) => alert.labels[label] ?? ''));
      const skip = this.skipReason(playbook, alert, target, now);
      if (skip) {
        // Re-deliveries of a skipped episode are checked again (it runs once the limit allows)
        // but reported once, or every group_interval would log it anew.
        if (this.reported.get(key) === skip) continue;
        if (this.reported.size >= 10_000) this.reported.clear();
        this.reported.set(key, skip);
        metrics.skipped.inc({ playbook: playbook.name, reason: skip });
        this.context.log('info', `not running: ${skip}`, { playbook: playbook.name, fingerprint: alert.fingerprint, target });
        continue;
      }
      const episode: Episode = { key, playbook: playbook.name, target, alert, at: now };
      this.state.accept(episode);
      this.enqueue(episode);
    }
    return 'accepted';
  }

  /** Queues an episode accepted before a restart, whatever the queue's size. */
  enqueue(episode: Episode): void {
    this.queue.push(episode);
    this.context.metrics.queueDepth.set(this.queue.length);
    this.pump();
  }

  /** Starts nothing new; resolves when the running episodes have finished. */
  drain(): Promise<void> {
    this.stopping = true;
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
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

  private pump(): void {
    while (!this.stopping && this.running < this.options.concurrency && this.queue.length > 0) {
      const episode = this.queue.shift()!;
      this.context.metrics.queueDepth.set(this.queue.length);
      void this.run(episode);
    }
  }

  private async run(episode: Episode): Promise<void> {
    this.running += 1;
    this.context.metrics.running.set(this.running);
    const playbook = this.byName.get(episode.playbook);
    let outcome = 'unknown_playbook'; // accepted before a restart with a playbooks file that dropped it
    try {
      await this.state.start(episode.key, Date.now());
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
    this.running -= 1;
    this.context.metrics.running.set(this.running);
    if (this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
    this.pump();
  }
}
