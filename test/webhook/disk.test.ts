import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { definePlaybook } from '../../src/index.ts';
import {
  alert,
  type FreezableDisk,
  freezableDisk,
  jsonLines,
  payload,
  postAlerts,
  type ReceiverProcess,
  receiverArgs,
  scratch,
  type SmallDisk,
  smallDisk,
  spawnReceiver,
  token,
  until,
  writeInputs,
} from './harness.ts';

// A real full (or read-only) file system under the state directory: a 4 MiB tmpfs.
describe('a full or read-only state directory', () => {
  const disks: SmallDisk[] = [];
  const receivers: ReceiverProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const receiver of receivers.splice(0)) receiver.child.kill('SIGKILL');
    for (const disk of disks.splice(0)) await disk.cleanup();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function setup(playbook: Parameters<typeof writeInputs>[1][number] = note) {
    const disk = await smallDisk(4096);
    disks.push(disk);
    const { dir, cleanup } = await scratch();
    cleanups.push(cleanup);
    const inputs = await writeInputs(dir, [playbook]);
    const stateDir = path.join(disk.dir, 'state');
    process.env.MONFORGE_MARKS = path.join(dir, 'marks'); // inherited by the receiver and its programs
    const start = () => {
      const receiver = spawnReceiver(receiverArgs(inputs, stateDir));
      receivers.push(receiver);
      return receiver;
    };
    return { disk, dir, stateDir, start };
  }

  it('refuses to start on a full disk with one line, whether or not there is state to compact', async () => {
    const { disk, stateDir, start } = await setup();
    await mkdir(stateDir);
    await writeFile(path.join(stateDir, 'state.jsonl'), `${JSON.stringify(acceptedRecord())}\n`);
    await disk.fill();
    const withState = start();
    expect(await withState.exited).toBe(1);
    expect(withState.stderr()).toMatch(
      new RegExp(`^monforge webhook: cannot write the state directory ${stateDir}: ENOSPC: no space left on device[^\\n]*\\n$`),
    );

    await writeFile(path.join(stateDir, 'state.jsonl'), '').catch(() => {});
    const empty = start();
    expect(await empty.exited).toBe(1);
    expect(empty.stderr()).toMatch(new RegExp(`^monforge webhook: cannot write the state directory ${stateDir}: [^\\n]+\\n$`));
  });

  it('refuses to start on a read-only state directory with one line', async () => {
    const { disk, stateDir, start } = await setup();
    await mkdir(stateDir);
    disk.readOnly();
    const receiver = start();
    expect(await receiver.exited).toBe(1);
    expect(receiver.stderr()).toMatch(
      new RegExp(`^monforge webhook: cannot write the state directory ${stateDir}: EROFS: read-only file system[^\\n]*\\n$`),
    );
  });

  it('answers 503 and is not ready while writes fail, finishes what it accepted, and recovers when space is freed', async () => {
    const { dir, disk, stateDir, start } = await setup(slow);
    const receiver = start();
    const url = await receiver.listening();
    expect((await postAlerts(url, payload([alert({ alertname: 'ApiDown', service: 'a' })]))).status).toBe(202);
    await until(() => receiver.logs().some((line) => line.msg === 'marking'), 5000, receiver.stdout);
    await disk.fill();

    // Its annotations make the record larger than the slack of the file's last page.
    const big = payload([{ ...alert({ alertname: 'ApiDown', service: 'b' }), annotations: { summary: 'x'.repeat(16 * 1024) } }]);
    const refused = await postAlerts(url, big);
    expect([refused.status, refused.headers.get('retry-after'), await refused.json()]).toEqual([
      503,
      '5',
      { error: 'the state directory cannot be written' },
    ]);
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'not ready', reason: 'the state directory cannot be written' }]);
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^monforge_webhook_storage_errors_total\{file="state.jsonl"\} [1-9]/m);
    expect((await postAlerts(url, payload([alert({ alertname: 'ApiDown', service: 'c' })]))).status).toBe(503);

    // The run accepted before goes on.
    await until(() => receiver.logs().some((line) => line.msg === 'run remediated'), 10_000, receiver.stdout);
    expect(await readFile(path.join(dir, 'marks'), 'utf8')).toBe('a\n');
    const errors = receiver.logs().filter((line) => line.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        msg: 'cannot write the state directory: answering 503 until it can',
        file: path.join(stateDir, 'state.jsonl'),
        error: expect.stringMatching(/^ENOSPC: no space left on device/),
      }),
    ]);

    await disk.free();
    await until(async () => (await fetch(`${url}/readyz`)).status === 200, 10_000, receiver.stdout);
    expect(receiver.logs().some((line) => line.msg === 'the state directory can be written again')).toBe(true);
    expect((await postAlerts(url, big)).status).toBe(202);
    await until(() => receiver.logs().filter((line) => line.msg === 'run remediated').length === 2, 10_000, receiver.stdout);
    receiver.child.kill('SIGTERM');
    expect(await receiver.exited).toBe(0);
    expect(await readFile(path.join(dir, 'marks'), 'utf8')).toBe('a\nb\n');
    // Nothing of what was appended while the disk was full is lost or torn. The record of the
    // notification answered 503 is written too once there is space: its re-delivery is the same episode.
    const records = await jsonLines(path.join(stateDir, 'state.jsonl'));
    expect(
      records.map(
        (record) => `${record.type} ${(record.episode as { alert?: { labels: { service: string } } })?.alert?.labels.service ?? ''}`,
      ),
    ).toEqual([
      'accepted a',
      'started ',
      'group ', // the exec action's process group, from its start to its end
      'accepted b',
      'group-ended ',
      'finished ',
      'accepted b',
      'started ',
      'group ',
      'group-ended ',
      'finished ',
    ]);
    expect(
      (await jsonLines(path.join(stateDir, 'audit.jsonl'))).map(
        (entry) => `${(entry.labels as { service: string }).service} ${entry.action}`,
      ),
    ).toEqual(['a announce', 'a mark', 'b announce', 'b mark']);
  });
});

const note = definePlaybook({
  name: 'note',
  match: { alertname: 'ApiDown' },
  actions: [{ kind: 'log', name: 'say', message: 'restart {{ $labels.service }}' }],
  onFailure: { escalate: false },
});

/** Logs, waits a second, then appends the service to $MONFORGE_MARKS (outside the full disk). */
const slow = definePlaybook({
  name: 'slow',
  match: { alertname: 'ApiDown' },
  allowExec: ['/bin/sh'],
  actions: [
    { kind: 'log', name: 'announce', message: 'marking' },
    { kind: 'exec', name: 'mark', argv: ['/bin/sh', '-c', 'sleep 1; echo "$MONFORGE_LABEL_SERVICE" >> "$MONFORGE_MARKS"'] },
  ],
  onFailure: { escalate: false },
  cooldown: '0s',
});

function acceptedRecord() {
  const firing = alert({ alertname: 'ApiDown', service: 'old' });
  return { type: 'accepted', episode: { key: 'k', playbook: 'note', target: '["old",""]', alert: firing, at: Date.now() } };
}

// A real stalled disk: ext4 on a loop device, frozen with fsfreeze (writes hang, no error).
describe('a stalled state directory', () => {
  const disks: FreezableDisk[] = [];
  const receivers: ReceiverProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const disk of disks) disk.thaw(); // first: a process blocked on the frozen disk cannot even be killed
    for (const receiver of receivers.splice(0)) receiver.child.kill('SIGKILL');
    for (const disk of disks.splice(0)) await disk.cleanup();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** POST /alerts, giving up after `ms` (a receiver waiting for the frozen disk would hold it until the thaw). */
  const postWithin = async (url: string, body: unknown, ms = 5000): Promise<{ status: number | string; body?: unknown; ms: number }> => {
    const started = performance.now();
    try {
      const response = await fetch(`${url}/alerts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(ms),
      });
      return { status: response.status, body: await response.json(), ms: performance.now() - started };
    } catch (error) {
      return { status: (error as Error).name, ms: performance.now() - started };
    }
  };

  it('answers 503 within --disk-timeout and is not ready while writes hang, counts it, and recovers once writes are fast', async () => {
    const disk = await freezableDisk();
    disks.push(disk);
    const { dir, cleanup } = await scratch();
    cleanups.push(cleanup);
    const inputs = await writeInputs(dir, [note]);
    const stateDir = path.join(disk.dir, 'state');
    const receiver = spawnReceiver(receiverArgs(inputs, stateDir, '--disk-timeout', '500ms'));
    receivers.push(receiver);
    const url = await receiver.listening();
    const apiDown = (service: string) => payload([alert({ alertname: 'ApiDown', service })]);
    expect((await postWithin(url, apiDown('a'))).status).toBe(202);
    await until(() => receiver.logs().some((line) => line.msg === 'run remediated'), 10_000, receiver.stdout);

    disk.freeze();
    const stalled = await postWithin(url, apiDown('b'));
    expect([stalled.status, stalled.body]).toEqual([503, { error: 'the state directory is stalled (writes slower than --disk-timeout)' }]);
    expect(stalled.ms).toBeLessThan(2500); // the bound, not the length of the stall
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([
      503,
      { status: 'not ready', reason: 'the state directory is stalled (writes slower than --disk-timeout)' },
    ]);
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^monforge_webhook_storage_stalls_total\{file="state.jsonl"\} 1$/m);
    const refused = await postWithin(url, apiDown('c'));
    expect([refused.status, refused.ms < 1000]).toEqual([503, true]);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // probes meanwhile hang too: still not ready
    expect((await fetch(`${url}/readyz`)).status).toBe(503);

    disk.thaw();
    await until(async () => (await fetch(`${url}/readyz`)).status === 200, 10_000, receiver.stdout);
    expect(receiver.logs().filter((line) => line.level === 'error' || String(line.msg).includes('fast again'))).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'the state directory is stalled: a write or fdatasync has taken over 500ms: not ready until writes are fast again',
      }),
      expect.objectContaining({ level: 'info', msg: 'the state directory is written fast again' }),
    ]);
    // b was accepted before the stall and runs once its record is written; c is accepted now.
    for (const service of ['b', 'c']) expect((await postWithin(url, apiDown(service))).status).toBe(202);
    await until(() => receiver.logs().filter((line) => line.msg === 'run remediated').length === 3, 10_000, receiver.stdout);
    receiver.child.kill('SIGTERM');
    expect(await receiver.exited).toBe(0);
    expect((await jsonLines(path.join(stateDir, 'audit.jsonl'))).map((entry) => (entry.labels as { service: string }).service)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});
