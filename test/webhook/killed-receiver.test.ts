import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { definePlaybook } from '../../src/index.ts';
import {
  alert,
  jsonLines,
  payload,
  perTest,
  postAlerts,
  receiverArgs,
  scratchPerSuite,
  spawnReceiver,
  until,
  writeInputs,
} from './harness.ts';

/** Processes of group `pgid` that still run (zombies nothing has reaped yet do not), read from /proc. */
function running(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z') pids.push(Number(name));
  }
  return pids;
}

/** An exec action of 2 s timeout that sleeps 30 s, writing its group id to $MONFORGE_MARKS/<playbook>. */
const sleeper = (name: string, script: string) =>
  definePlaybook({
    name,
    match: { alertname: 'Stuck' },
    allowExec: ['/bin/sh'],
    actions: [
      {
        kind: 'exec',
        name: 'wait',
        argv: ['/bin/sh', '-c', `echo $$ > "$MONFORGE_MARKS/$MONFORGE_PLAYBOOK"; ${script}`],
        timeout: '2s',
        killAfter: '1s',
      },
    ],
    onFailure: { escalate: false },
  });

describe('actions of a receiver killed with -9', () => {
  const dir = scratchPerSuite();
  const groups: number[] = [];
  afterEach(() => {
    for (const pgid of groups.splice(0)) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });

  it('are ended by the next receiver (SIGTERM, then SIGKILL after killAfter) before it marks them interrupted', async () => {
    const inputs = await writeInputs(dir(), [sleeper('polite', 'exec sleep 30'), sleeper('stubborn', "trap '' TERM; sleep 30")]);
    const stateDir = path.join(dir(), 'state');
    process.env.MONFORGE_MARKS = dir(); // inherited by the receiver and its programs
    const first = spawnReceiver(receiverArgs(inputs, stateDir));
    const url = await first.listening();
    expect((await postAlerts(url, payload([alert({ alertname: 'Stuck', service: 'api' })]))).status).toBe(202);
    const pgidOf = async (name: string) => Number(await readFile(path.join(dir(), name), 'utf8').catch(() => '0'));
    await until(async () => (await pgidOf('polite')) > 0 && (await pgidOf('stubborn')) > 0, 10_000, first.stdout);
    const polite = await pgidOf('polite');
    const stubborn = await pgidOf('stubborn');
    groups.push(polite, stubborn);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the group records reach the disk
    first.child.kill('SIGKILL');
    await first.exited;
    // Both outlive the receiver: their groups are their own (detached), and nothing ends them.
    expect([running(polite).length, running(stubborn).length]).toEqual([1, 2]);

    const restarted = Date.now();
    const second = spawnReceiver(receiverArgs(inputs, stateDir));
    try {
      await second.listening();
      expect([running(polite), running(stubborn)]).toEqual([[], []]);
      expect(Date.now() - restarted).toBeGreaterThanOrEqual(1000); // the stubborn one had its killAfter
      const ended = second
        .logs()
        .filter((line) => line.msg === 'ended a process group left running by the receiver before the restart')
        .map((line) => `${line.playbook} ${line.pgid === (line.playbook === 'polite' ? polite : stubborn)} ${line.signal}`)
        .sort();
      expect(ended).toEqual(['polite true SIGTERM', 'stubborn true SIGKILL']);
      const logs = second.logs().map((line) => line.msg);
      expect(logs.lastIndexOf('ended a process group left running by the receiver before the restart')).toBeLessThan(
        logs.indexOf('run interrupted by a crash or kill before it finished; not re-run'),
      );
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      second.child.kill('SIGKILL');
    }
    const audit = await jsonLines(path.join(stateDir, 'audit.jsonl'));
    expect(audit.map((entry) => `${entry.playbook} ${entry.step} ${entry.outcome}`).sort()).toEqual([
      'polite run interrupted',
      'stubborn run interrupted',
    ]);
    // Ended groups are forgotten: a third start has nothing to end.
    const third = spawnReceiver(receiverArgs(inputs, stateDir));
    try {
      await third.listening();
      expect(third.logs().filter((line) => String(line.msg).includes('process group'))).toEqual([]);
    } finally {
      third.child.kill('SIGKILL');
    }
  });

  const tracked = perTest();

  it('leaves alone a recorded group whose id now belongs to another process', async () => {
    const other = spawn('/bin/sleep', ['30'], { detached: true, stdio: 'ignore' });
    const pgid = other.pid!;
    groups.push(pgid);
    const dir = await tracked.dir();
    await mkdir(path.join(dir, 'state'));
    const stuck = alert({ alertname: 'Stuck', service: 'api' });
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const records = [
      { type: 'accepted', episode: { key: 'k', playbook: 'polite', target: '["api",""]', alert: stuck, at: Date.now() - 60_000 } },
      { type: 'started', key: 'k', at: Date.now() - 60_000 },
      // The group the killed receiver started had the same id, and a leader started at another time.
      { type: 'group', key: 'k', at: Date.now() - 60_000, pgid, boot, start: '1', killAfterMs: 1000 },
    ];
    await writeFile(path.join(dir, 'state', 'state.jsonl'), records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    const receiver = await tracked.receiver([sleeper('polite', 'exec sleep 30')], {}, dir);
    expect(running(pgid)).toEqual([pgid]);
    expect(receiver.logs.filter((line) => String(line.msg).includes('process group'))).toEqual([
      {
        level: 'warn',
        msg: `not ending process group ${pgid} recorded before the restart: its id now belongs to another process`,
        playbook: 'polite',
        pgid,
      },
    ]);
    expect(receiver.logs.map((line) => line.msg)).toContain('run interrupted by a crash or kill before it finished; not re-run');
  });
});
