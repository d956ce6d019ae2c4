import { readdirSync, readFileSync } from 'node:fs';
import type { Logger } from './log.ts';

// Exec actions run in process groups of their own. Ending a group is SIGTERM, then SIGKILL
// after the action's `killAfter`. Each group is recorded in the state log when it starts, so that
// one left running by a receiver killed with -9 is ended by the next one, and never a group
// whose id has been reused meanwhile.

/** What identifies a group across a restart: its id, and the boot and start time of its leader. */
export interface GroupIdentity {
  readonly pgid: number;
  /** /proc/sys/kernel/random/boot_id: after a reboot nothing of the last life runs. */
  readonly boot: string;
  /** The leader's start time (clock ticks after boot), null when it had exited before it was read. */
  readonly start: string | null;
  readonly killAfterMs: number;
}

/** What `runExec` reports about the groups it starts: their recording in the state log. */
export interface GroupJournal {
  started(group: GroupIdentity): void;
  ended(pgid: number): void;
}

/** The identity of the group `pid` leads, read right after spawning it. */
export function identify(pid: number, killAfterMs: number): GroupIdentity {
  return { pgid: pid, boot: bootId(), start: processStat(pid)?.start ?? null, killAfterMs };
}

/** Groups being ended, so that shutdown can SIGKILL the rest at once rather than wait for `killAfter`. */
const ending = new Map<number, { timer: NodeJS.Timeout; ended: () => void }>();

/**
 * The program's process group (its pid, as it was spawned detached). `end()`: SIGTERM now,
 * SIGKILL after `killAfterMs`; `ended` is called once nothing of it can run any more.
 */
export function processGroup(pid: number | undefined, killAfterMs: number, ended: () => void = () => {}): { end(): void } {
  let done = false;
  return {
    end() {
      if (done || pid === undefined) return;
      done = true;
      if (!signalGroup(pid, 'SIGTERM')) return ended();
      clearTimeout(ending.get(pid)?.timer); // an earlier group of the same number, long gone
      // Not cancelled when the program exits: the rest of its group may ignore SIGTERM.
      const timer = setTimeout(() => {
        ending.delete(pid);
        signalGroup(pid, 'SIGKILL');
        ended();
      }, killAfterMs);
      ending.set(pid, { timer, ended });
    },
  };
}

/** SIGKILL to every group still being ended: the receiver exits and no longer waits for them. */
export function killEndingGroups(): void {
  for (const [pid, { timer, ended }] of ending) {
    clearTimeout(timer);
    signalGroup(pid, 'SIGKILL');
    ended();
  }
  ending.clear();
}

/**
 * Ends the groups a previous receiver left running (it was killed, or crashed): SIGTERM to each
 * one that is still ours, SIGKILL to what is left after its `killAfter`. Resolves once each is
 * gone (or SIGKILLed), calling `ended` for every group, ours or not.
 */
export async function endLeftovers(
  groups: readonly (GroupIdentity & { readonly key: string; readonly playbook: string })[],
  log: Logger,
  ended: (key: string, pgid: number) => void,
): Promise<void> {
  if (groups.length === 0) return;
  let pending: (typeof groups)[number][] = [];
  const live = liveGroups();
  for (const group of groups) {
    const why = notOurs(group, live);
    if (why === undefined && signalGroup(group.pgid, 'SIGTERM')) pending.push(group);
    else {
      if (why !== undefined && why !== 'gone')
        log('warn', `not ending process group ${group.pgid} recorded before the restart: ${why}`, {
          playbook: group.playbook,
          pgid: group.pgid,
        });
      ended(group.key, group.pgid);
    }
  }
  const signalled = performance.now();
  while (pending.length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const running = liveGroups();
    const overdue = performance.now() - signalled;
    pending = pending.filter((group) => {
      const stubborn = running?.has(group.pgid) ?? false;
      if (stubborn && overdue < group.killAfterMs) return true;
      if (stubborn) signalGroup(group.pgid, 'SIGKILL');
      log('warn', 'ended a process group left running by the receiver before the restart', {
        playbook: group.playbook,
        pgid: group.pgid,
        signal: stubborn ? 'SIGKILL' : 'SIGTERM',
      });
      ended(group.key, group.pgid);
      return false;
    });
  }
}

/** Why a recorded group must not be signalled ('gone' when nothing of it runs), or undefined when it is ours. */
function notOurs(group: GroupIdentity, live: ReadonlySet<number> | undefined): string | undefined {
  if (!live) return 'no /proc to tell whether its id was reused';
  if (group.boot !== bootId() || !live.has(group.pgid)) return 'gone';
  // While a member lives, the id cannot be given to a new process: a leader of another start time
  // means the group ended and the id was reused.
  const leader = processStat(group.pgid);
  if (leader && leader.start !== group.start) return 'its id now belongs to another process';
  return undefined;
}

let boot: string | undefined;
function bootId(): string {
  boot ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return boot;
}

/** From /proc/<pid>/stat: the state (Z: a zombie), the process group and the start time. */
function processStat(pid: number): { state: string; pgrp: number; start: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: the fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, pgrp: Number(fields[2]), start: fields[19]! };
}

/** The process groups with a member that still runs (zombies, which nothing may have reaped yet, do not); undefined without /proc. */
function liveGroups(): Set<number> | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
    bootId();
  } catch {
    return undefined;
  }
  const groups = new Set<number>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = processStat(Number(name));
    if (stat && stat.state !== 'Z') groups.add(stat.pgrp);
  }
  return groups;
}

/** False when the group no longer exists. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
