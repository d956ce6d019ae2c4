import { mkdir, readFile, statfs } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { replaceFile } from '../output/durable.ts';
import { AppendLog, type AppendLogEvents } from './append-log.ts';
import { alertSchema, type Alert } from './payload.ts';
import { StartupError } from './playbooks.ts';
import type { GroupIdentity } from './process-groups.ts';

/** One playbook acting on one alert's firing (or resolved) notification. */
export interface Episode {
  /** Playbook + fingerprint + startsAt + status: the same for every re-delivery. */
  readonly key: string;
  readonly playbook: string;
  /** The values of the playbook's target labels, for the cooldown. */
  readonly target: string;
  readonly alert: Alert;
  /** Accepted at, in ms since the epoch (wall time: stored and shown, never used for a duration). */
  readonly at: number;
}

const key = z.string();
const at = z.number();
const recordSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('accepted'),
    episode: z.object({ key, playbook: z.string(), target: z.string(), alert: alertSchema, at }),
  }),
  z.object({ type: z.literal('started'), key, at }),
  z.object({ type: z.literal('finished'), key, at, outcome: z.string() }),
  // A RemediationFailed alert to post: due until an `escalated` record follows.
  z.object({ type: z.literal('escalation'), key, at, reason: z.string() }),
  z.object({ type: z.literal('escalated'), key, at, outcome: z.string() }),
  // A process group an exec action started (process-groups.ts), and its end.
  z.object({
    type: z.literal('group'),
    key,
    at,
    pgid: z.number().int().positive(),
    boot: z.string(),
    start: z.string().nullable(),
    killAfterMs: z.number(),
  }),
  z.object({ type: z.literal('group-ended'), key, at, pgid: z.number() }),
]);
type StateRecord = z.infer<typeof recordSchema>;
const isGroupRecord = (record: StateRecord): record is Extract<StateRecord, { type: 'group' | 'group-ended' }> =>
  record.type === 'group' || record.type === 'group-ended';

const hour = 3_600_000;
/** Alertmanager re-sends a firing alert with its startsAt for as long as it fires: keep keys a week. */
const retention = 7 * 24 * hour;
/** An accepted run that never started (shutdown, crash) is resumed after a restart only when this recent. */
const resumeWithin = 15 * 60_000;
/** Start-up refuses a state directory with less free space than this. */
const minFreeBytes = 1024 * 1024;

export function episodeKey(playbook: string, alert: Alert): string {
  return JSON.stringify([playbook, alert.fingerprint, instant(alert.startsAt), alert.status]);
}

/** Re-deliveries repeat the same few startsAt spellings: each is parsed once (bounded). */
const instants = new Map<string, string>();

/**
 * An RFC 3339 time spelt one way per instant (UTC, nanoseconds), so that a re-delivery that
 * writes startsAt another way (`+02:00`, `.000`) is the same episode.
 */
export function instant(time: string): string {
  let spelt = instants.get(time);
  if (spelt === undefined) {
    const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i.exec(time);
    const ms = match ? Date.parse(`${match[1]}${match[3]!.toUpperCase()}`) : Number.NaN;
    spelt = Number.isNaN(ms) ? time : `${new Date(ms).toISOString().slice(0, 19)}.${(match![2] ?? '').padEnd(9, '0').slice(0, 9)}Z`;
    if (instants.size >= 10_000) instants.clear();
    instants.set(time, spelt);
  }
  return spelt;
}

export interface OpenedState {
  readonly state: EpisodeState;
  /** Accepted episodes that never started and are recent enough to run now. */
  readonly resume: Episode[];
  /** Episodes that started but never finished: never re-run, their actions may have had effects. */
  readonly interrupted: Episode[];
  /** Never started and too old to run now: forgotten, a new delivery may run them. */
  readonly expired: Episode[];
  /** RemediationFailed alerts that were due and never posted (shutdown or crash). */
  readonly escalations: { episode: Episode; reason: string }[];
  /** Process groups of exec actions whose end was never recorded: they may still run. */
  readonly groups: (GroupIdentity & { key: string; playbook: string })[];
  /** Lines that were not records (cut short by a crash, edited by hand): skipped. */
  readonly skipped: number;
}

/**
 * The runs of one playbook in the last hour, counted per minute in a ring of 60 counters: the
 * same small cost per run and per check whatever the count. A run counts for 59 to 60 minutes.
 */
class HourlyRuns {
  /** The minute (of the monotonic clock) each slot counts, NaN when unused. */
  private readonly minutes = new Float64Array(60).fill(Number.NaN);
  private readonly counts = new Float64Array(60);

  /** `by` -1 takes back a run counted before. */
  add(at: number, by = 1): void {
    const minute = Math.floor(at / 60_000);
    const slot = ((minute % 60) + 60) % 60;
    if (this.minutes[slot] !== minute) {
      if (by < 0) return; // its minute has left the hour already
      this.minutes[slot] = minute;
      this.counts[slot] = 0;
    }
    this.counts[slot]! += by;
  }

  count(now: number): number {
    const minute = Math.floor(now / 60_000);
    let total = 0;
    for (let slot = 0; slot < 60; slot += 1) {
      const age = minute - this.minutes[slot]!;
      if (age >= 0 && age < 60) total += this.counts[slot]!;
    }
    return total;
  }
}

/**
 * What makes runs exactly-once per firing episode across restarts: the episodes accepted,
 * the last run per playbook and target (cooldown) and the runs of the last hour per playbook.
 * Kept in memory, persisted as an append-only log `state.jsonl` compacted at every start.
 *
 * Cooldowns and the hourly limit are measured on the monotonic clock (`since`, `now`:
 * `performance.now()`), so a step of the wall clock neither ends nor stretches them; an episode
 * read back at start-up counts from its stored wall time, its age taken as 0 when that is in the
 * future.
 */
export class EpisodeState {
  private readonly episodes = new Map<string, Episode>();
  /** Accepted in memory, their records not on disk yet: when on the monotonic clock, and the target's last run before. */
  private readonly unconfirmed = new Map<string, { since: number; lastRun: number | undefined }>();
  /** The last run per playbook and target, on the monotonic clock. */
  private readonly lastRuns = new Map<string, number>();
  private readonly hourly = new Map<string, HourlyRuns>();

  private constructor(private readonly log: AppendLog) {}

  /** Replays and compacts the log; a directory it cannot read or write stops start-up with one line. */
  static async open(dir: string, now: number, events: AppendLogEvents = {}): Promise<OpenedState> {
    const file = path.join(dir, 'state.jsonl');
    const unwritable = (error: unknown) => new StartupError(`cannot write the state directory ${dir}: ${(error as Error).message}`);
    await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw unwritable(error);
    });
    let text: string;
    try {
      text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '';
        throw error;
      });
    } catch (error) {
      throw new StartupError(`cannot read the state directory ${dir}: ${(error as Error).message}`);
    }
    const { records, skipped } = parseRecords(text);
    const { kept, lines, ...found } = replay(records, now);
    let log: AppendLog;
    try {
      await replaceFile(file, lines.join(''), 0o600);
      await requireFreeSpace(dir);
      log = await AppendLog.open(file, events);
    } catch (error) {
      throw unwritable(error);
    }
    const state = new EpisodeState(log);
    const monotonic = performance.now();
    for (const episode of kept) state.remember(episode, monotonic - Math.max(0, now - episode.at));
    return { state, ...found, skipped };
  }

  has(key: string): boolean {
    return this.episodes.has(key);
  }

  /** Whether the episode's accepted record is on disk. */
  confirmed(key: string): boolean {
    return !this.unconfirmed.has(key);
  }

  /** Whether a run of `playbook` on `target` is within `cooldownMs` before `now` (monotonic). */
  inCooldown(playbook: string, target: string, cooldownMs: number, now: number): boolean {
    const last = this.lastRuns.get(JSON.stringify([playbook, target]));
    return last !== undefined && now - last < cooldownMs;
  }

  /** Runs of `playbook` accepted in the hour before `now` (monotonic), counted per minute. */
  runsInLastHour(playbook: string, now: number): number {
    return this.hourly.get(playbook)?.count(now) ?? 0;
  }

  /** Takes the episode, accepted at `since` (monotonic), into account at once; `commit` makes it durable. */
  accept(episode: Episode, since: number): void {
    const lastRun = this.lastRuns.get(JSON.stringify([episode.playbook, episode.target]));
    this.remember(episode, since);
    this.unconfirmed.set(episode.key, { since, lastRun });
    this.log.append({ type: 'accepted', episode } satisfies StateRecord);
  }

  /**
   * Resolves once everything accepted so far is on disk (one fdatasync for all callers waiting).
   * When that fails, `episodes` are forgotten (their notification is answered 503 and delivered
   * again) and it rejects.
   */
  async commit(episodes: readonly Episode[]): Promise<void> {
    try {
      await this.log.sync();
    } catch (error) {
      for (const episode of episodes) this.forget(episode);
      throw error;
    }
    for (const episode of episodes) this.unconfirmed.delete(episode.key);
  }

  /** Resolves once the start is on disk: after a crash, a started run is never run again. */
  start(key: string, now: number): Promise<void> {
    this.log.append({ type: 'started', key, at: now } satisfies StateRecord);
    return this.log.sync();
  }

  finish(key: string, outcome: string, now: number): void {
    this.log.append({ type: 'finished', key, at: now, outcome } satisfies StateRecord);
  }

  escalationDue(key: string, reason: string, now: number): void {
    this.log.append({ type: 'escalation', key, at: now, reason } satisfies StateRecord);
  }

  escalated(key: string, outcome: string, now: number): void {
    this.log.append({ type: 'escalated', key, at: now, outcome } satisfies StateRecord);
  }

  /** Records a process group an action of the episode started, on disk at once: a crash must not hide it. */
  groupStarted(key: string, group: GroupIdentity, now: number): void {
    this.log.append({ type: 'group', key, at: now, ...group } satisfies StateRecord);
    this.log.sync().catch(() => {}); // a failure is reported by the log's events
  }

  groupEnded(key: string, pgid: number, now: number): void {
    this.log.append({ type: 'group-ended', key, at: now, pgid } satisfies StateRecord);
  }

  close(): Promise<void> {
    return this.log.close();
  }

  private remember(episode: Episode, since: number): void {
    this.episodes.set(episode.key, episode);
    if (episode.alert.status !== 'firing') return;
    const target = JSON.stringify([episode.playbook, episode.target]);
    this.lastRuns.set(target, Math.max(since, this.lastRuns.get(target) ?? Number.NEGATIVE_INFINITY));
    let runs = this.hourly.get(episode.playbook);
    if (!runs) {
      runs = new HourlyRuns();
      this.hourly.set(episode.playbook, runs);
    }
    runs.add(since);
  }

  /** Undoes `accept`, the cooldown and the hourly count included. */
  private forget(episode: Episode): void {
    const accepted = this.unconfirmed.get(episode.key);
    this.episodes.delete(episode.key);
    this.unconfirmed.delete(episode.key);
    if (episode.alert.status !== 'firing' || !accepted) return;
    this.hourly.get(episode.playbook)?.add(accepted.since, -1);
    const target = JSON.stringify([episode.playbook, episode.target]);
    // The target's cooldown goes back to the run before, unless another has been accepted since.
    if (this.lastRuns.get(target) !== accepted.since) return;
    if (accepted.lastRun === undefined) this.lastRuns.delete(target);
    else this.lastRuns.set(target, accepted.lastRun);
  }
}

/** Every line that is a valid record; the others (torn by a crash, edited, from elsewhere) are counted. */
function parseRecords(text: string): { records: StateRecord[]; skipped: number } {
  const records: StateRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let parsed: ReturnType<typeof recordSchema.safeParse>;
    try {
      parsed = recordSchema.safeParse(JSON.parse(line));
    } catch {
      skipped += 1;
      continue;
    }
    if (parsed.success) records.push(parsed.data);
    else skipped += 1;
  }
  return { records, skipped };
}

/** The episodes to keep, sorted by what happened to them, and the compacted log's lines. */
function replay(records: readonly StateRecord[], now: number) {
  // Keys are recomputed from the alert: a log written before startsAt was normalised still matches.
  const accepted = new Map<string, Episode>();
  const renamed = new Map<string, string>();
  for (const record of records) {
    if (record.type !== 'accepted') continue;
    const key = episodeKey(record.episode.playbook, record.episode.alert);
    renamed.set(record.episode.key, key);
    if (!accepted.has(key)) accepted.set(key, { ...record.episode, key });
  }
  const progress = new Map<string, StateRecord[]>();
  for (const record of records) {
    if (record.type === 'accepted') continue;
    const key = renamed.get(record.key) ?? record.key;
    progress.set(key, [...(progress.get(key) ?? []), { ...record, key }]);
  }
  const found = {
    kept: [] as Episode[],
    lines: [] as string[],
    resume: [] as Episode[],
    interrupted: [] as Episode[],
    expired: [] as Episode[],
  };
  const escalations: { episode: Episode; reason: string }[] = [];
  const groups: (GroupIdentity & { key: string; playbook: string })[] = [];
  for (const episode of accepted.values()) {
    // Groups whose end is recorded are forgotten; the others are kept until this life ends them.
    const all = progress.get(episode.key) ?? [];
    const ended = new Set(all.flatMap((record) => (record.type === 'group-ended' ? [record.pgid] : [])));
    const steps = all.filter((record) => !(isGroupRecord(record) && ended.has(record.pgid)));
    for (const record of steps) {
      if (record.type !== 'group') continue;
      const { pgid, boot, start, killAfterMs } = record;
      groups.push({ key: episode.key, playbook: episode.playbook, pgid, boot, start, killAfterMs });
    }
    if (episode.at < now - retention) continue;
    const started = steps.some((record) => record.type === 'started' || record.type === 'finished');
    if (!started && episode.at < now - resumeWithin) {
      found.expired.push(episode);
      continue;
    }
    if (!started) found.resume.push(episode);
    else if (!steps.some((record) => record.type === 'finished')) found.interrupted.push(episode);
    const due = steps.filter((record) => record.type === 'escalation').at(-1);
    if (due && !steps.some((record) => record.type === 'escalated')) escalations.push({ episode, reason: due.reason });
    found.kept.push(episode);
    for (const record of [{ type: 'accepted', episode } satisfies StateRecord, ...steps]) found.lines.push(`${JSON.stringify(record)}\n`);
  }
  return { ...found, escalations, groups };
}

/** A nearly full disk fails the first acknowledgements: refuse to start on one instead. */
async function requireFreeSpace(dir: string): Promise<void> {
  const space = await statfs(dir);
  const free = space.bavail * space.bsize;
  if (free < minFreeBytes) throw new Error(`ENOSPC: only ${Math.floor(free / 1024)} KiB free, at least ${minFreeBytes / 1024} KiB needed`);
  if (space.files > 0 && space.ffree === 0) throw new Error('ENOSPC: no free inodes');
}
