import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceFile } from '../output/durable.ts';
import { AppendLog } from './append-log.ts';
import type { Alert } from './payload.ts';

/** One playbook acting on one alert's firing (or resolved) notification. */
export interface Episode {
  /** Playbook + fingerprint + startsAt + status: the same for every re-delivery. */
  readonly key: string;
  readonly playbook: string;
  /** The values of the playbook's target labels, for the cooldown. */
  readonly target: string;
  readonly alert: Alert;
  /** Accepted at, in ms since the epoch. */
  readonly at: number;
}

type Record =
  | { type: 'accepted'; episode: Episode }
  | { type: 'started'; key: string; at: number }
  | { type: 'finished'; key: string; at: number; outcome: string };

const hour = 3_600_000;
/** Alertmanager re-sends a firing alert with its startsAt for as long as it fires: keep keys a week. */
const retention = 7 * 24 * hour;
/** An accepted run that never started (shutdown, crash) is resumed after a restart only when this recent. */
const resumeWithin = 15 * 60_000;

export function episodeKey(playbook: string, alert: Alert): string {
  return JSON.stringify([playbook, alert.fingerprint, alert.startsAt, alert.status]);
}

/**
 * What makes runs exactly-once per firing episode across restarts: the episodes accepted,
 * the last run per playbook and target (cooldown) and the runs of the last hour per playbook.
 * Kept in memory, persisted as an append-only log `state.jsonl` compacted at every start.
 */
export class EpisodeState {
  private readonly episodes = new Map<string, Episode>();
  private readonly lastRuns = new Map<string, number>();
  private readonly hourly = new Map<string, number[]>();

  private constructor(private readonly log: AppendLog) {}

  /**
   * Replays the log. `resume`: accepted episodes that never started and are recent enough to
   * run now; `interrupted`: episodes that started but never finished (never re-run: their
   * actions may have had effects); `expired`: never started and too old to run now.
   */
  static async open(
    dir: string,
    now: number,
  ): Promise<{ state: EpisodeState; resume: Episode[]; interrupted: Episode[]; expired: Episode[] }> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, 'state.jsonl');
    const accepted = new Map<string, Episode>();
    const progress = new Map<string, Record[]>(); // started / finished records per key
    for (const record of await readRecords(file)) {
      if (record.type === 'accepted') accepted.set(record.episode.key, record.episode);
      else progress.set(record.key, [...(progress.get(record.key) ?? []), record]);
    }
    const kept: Episode[] = [];
    const result = { resume: [] as Episode[], interrupted: [] as Episode[], expired: [] as Episode[] };
    const lines: string[] = [];
    for (const episode of accepted.values()) {
      if (episode.at < now - retention) continue;
      const records = progress.get(episode.key) ?? [];
      const started = records.some((record) => record.type === 'started');
      if (!started && episode.at < now - resumeWithin) {
        result.expired.push(episode); // forgotten: the next delivery of the alert may run it
        continue;
      }
      if (!started) result.resume.push(episode);
      else if (!records.some((record) => record.type === 'finished')) result.interrupted.push(episode);
      kept.push(episode);
      lines.push(...[{ type: 'accepted', episode }, ...records].map((record) => `${JSON.stringify(record)}\n`));
    }
    await replaceFile(file, lines.join(''), 0o600);
    const state = new EpisodeState(await AppendLog.open(file));
    for (const episode of kept) state.remember(episode);
    return { state, ...result };
  }

  has(key: string): boolean {
    return this.episodes.has(key);
  }

  /** Whether a run of `playbook` on `target` is within `cooldownMs` before `now`. */
  inCooldown(playbook: string, target: string, cooldownMs: number, now: number): boolean {
    const last = this.lastRuns.get(JSON.stringify([playbook, target]));
    return last !== undefined && now - last < cooldownMs;
  }

  runsInLastHour(playbook: string, now: number): number {
    const runs = this.hourly.get(playbook) ?? [];
    const since = now - hour;
    let expired = 0;
    for (const at of runs) if (at <= since) expired += 1;
    if (expired === 0) return runs.length; // the common case: no copy
    const recent = runs.filter((at) => at > since);
    this.hourly.set(playbook, recent);
    return recent.length;
  }

  accept(episode: Episode): void {
    this.remember(episode);
    this.log.append({ type: 'accepted', episode } satisfies Record);
  }

  /** Resolves once the start is on disk: after a crash, a started run is never run again. */
  start(key: string, now: number): Promise<void> {
    this.log.append({ type: 'started', key, at: now } satisfies Record);
    return this.log.sync();
  }

  finish(key: string, outcome: string, now: number): void {
    this.log.append({ type: 'finished', key, at: now, outcome } satisfies Record);
  }

  close(): Promise<void> {
    return this.log.close();
  }

  private remember(episode: Episode): void {
    this.episodes.set(episode.key, episode);
    if (episode.alert.status !== 'firing') return;
    const target = JSON.stringify([episode.playbook, episode.target]);
    this.lastRuns.set(target, Math.max(episode.at, this.lastRuns.get(target) ?? 0));
    this.hourly.set(episode.playbook, [...(this.hourly.get(episode.playbook) ?? []), episode.at]);
  }
}

/** Every complete line; a line cut short by a crash is skipped. */
async function readRecords(file: string): Promise<Record[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return text.split('\n').flatMap((line) => {
    try {
      return line === '' ? [] : [JSON.parse(line) as Record];
    } catch {
      return [];
    }
  });
}
