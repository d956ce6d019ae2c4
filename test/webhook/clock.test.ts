import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { definePlaybook } from '../../src/index.ts';
import type { Duration } from '../../src/model/duration.ts';
import { alert, payload, perTest, until } from './harness.ts';

// The wall clock of this process is replaced by one that steps (as NTP, a resumed VM or an
// operator's `date -s` make it step), while real time goes on. Durations must not notice.
const realNow = Date.now.bind(Date);
let step = 0;
const stepClock = (ms: number): void => {
  step += ms;
};
afterEach(() => {
  vi.restoreAllMocks();
  step = 0;
});
const steppingClock = () => vi.spyOn(Date, 'now').mockImplementation(() => realNow() + step);

const minute = 60_000;
const hour = 60 * minute;

/** A Prometheus whose query answers empty until `trueFrom` polls, and calls `onPoll` at each. */
function fakePrometheus() {
  const state = { polls: 0, trueFrom: Number.POSITIVE_INFINITY, onPoll: (_poll: number) => {} };
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      state.polls += 1;
      state.onPoll(state.polls);
      const result = state.polls >= state.trueFrom ? [{ metric: {}, value: [0, '1'] }] : [];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    });
  });
  return { state, server };
}

const tracked = perTest();
const apiDown = (startsAt = '2024-05-01T10:00:00Z', instance = 'a') =>
  alert({ alertname: 'ApiDown', service: 'api', instance }, { startsAt });
const audit = (entries: Record<string, unknown>[]) => entries.map((entry) => `${entry.step} ${entry.outcome}: ${entry.detail ?? ''}`);

describe('verify under wall-clock steps', () => {
  const prometheus = fakePrometheus();
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => prometheus.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(prometheus.server.address() as AddressInfo).port}`;
  });
  afterAll(() => prometheus.server.close());

  const verifying = (within: Duration, interval: Duration) =>
    definePlaybook({
      name: 'verify',
      match: { alertname: 'ApiDown' },
      actions: [{ kind: 'log', name: 'fix', message: 'fixing' }],
      verify: { query: 'up == 1', within, interval },
      onFailure: { rollback: [{ kind: 'log', name: 'undo', message: 'undoing' }], escalate: false },
    });

  it('keeps polling for the whole of `within` when the wall clock jumps 10 minutes forward', async () => {
    Object.assign(prometheus.state, { polls: 0, trueFrom: 4, onPoll: (poll: number) => poll === 1 && stepClock(10 * minute) });
    steppingClock();
    const receiver = await tracked.receiver([verifying('5s', '300ms')], { prometheus: url });
    await receiver.post(payload([apiDown()]));
    expect((await receiver.runs(1))[0]).toMatchObject({ msg: 'run remediated' });
    expect(audit(await receiver.audit())).toEqual(['action success: ', 'verify success: true after 4 polls']);
  });

  it('gives up at the end of `within` when the wall clock jumps an hour back', async () => {
    Object.assign(prometheus.state, {
      polls: 0,
      trueFrom: Number.POSITIVE_INFINITY,
      onPoll: (poll: number) => poll === 1 && stepClock(-hour),
    });
    steppingClock();
    const receiver = await tracked.receiver([verifying('1s', '200ms')], { prometheus: url });
    const started = performance.now();
    await receiver.post(payload([apiDown()]));
    expect((await receiver.runs(1, 8000))[0]).toMatchObject({ msg: 'run failed' });
    expect(performance.now() - started).toBeLessThan(4000);
    expect(audit(await receiver.audit())).toEqual([
      'action success: ',
      expect.stringMatching(/^verify failure: not true within 1s \([4-7] polls, last: empty result\): up == 1$/),
      'rollback success: ',
    ]);
  });
});

describe('cooldown and hourly limit under wall-clock steps', () => {
  const restart = (fields: { cooldown: '0s' | '1s' | '1h'; maxRunsPerHour?: number }) =>
    definePlaybook({
      name: 'restart',
      match: { alertname: 'ApiDown' },
      actions: [{ kind: 'log', name: 'restart', message: 'restarting {{ $labels.instance }}' }],
      onFailure: { escalate: false },
      target: ['service'],
      ...fields,
    });
  const skips = (logs: Record<string, unknown>[]) =>
    logs.filter((line) => String(line.msg).startsWith('not running')).map((line) => line.msg);

  it('ends a 1 s cooldown after a second even when the wall clock jumped an hour back', async () => {
    steppingClock();
    const receiver = await tracked.receiver([restart({ cooldown: '1s' })]);
    expect((await receiver.post(payload([apiDown('2024-05-01T10:00:00Z')]))).status).toBe(202);
    await receiver.runs(1);
    stepClock(-hour);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await receiver.post(payload([apiDown('2024-05-01T10:05:00Z')]))).status).toBe(202);
    await receiver.runs(2);
    expect(skips(receiver.logs)).toEqual([]);
  });

  it('counts a cooldown from the restart for a run stored with a time in the future (the clock was stepped back meanwhile)', async () => {
    const dir = await tracked.dir();
    await mkdir(path.join(dir, 'state'));
    const earlier = apiDown('2024-05-01T10:00:00Z');
    const record = {
      type: 'accepted',
      episode: { key: 'k', playbook: 'restart', target: '["api"]', alert: earlier, at: Date.now() + hour },
    };
    const finished = { type: 'finished', key: 'k', at: Date.now() + hour, outcome: 'remediated' };
    await writeFile(path.join(dir, 'state', 'state.jsonl'), `${JSON.stringify(record)}\n${JSON.stringify(finished)}\n`);
    const receiver = await tracked.receiver([restart({ cooldown: '1s' })], {}, dir);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await receiver.post(payload([apiDown('2024-05-01T10:05:00Z')]))).status).toBe(202);
    await receiver.runs(1);
    expect(skips(receiver.logs)).toEqual([]);
  });

  it('does not end a cooldown or the hourly limit early when the wall clock jumps two hours forward', async () => {
    steppingClock();
    const receiver = await tracked.receiver([
      restart({ cooldown: '1h' }),
      { ...restart({ cooldown: '0s', maxRunsPerHour: 1 }), name: 'limited', target: ['instance'] },
    ]);
    expect((await receiver.post(payload([apiDown('2024-05-01T10:00:00Z', 'a')]))).status).toBe(202);
    await receiver.runs(2);
    stepClock(2 * hour);
    expect((await receiver.post(payload([apiDown('2024-05-01T10:05:00Z', 'b')]))).status).toBe(202);
    await until(
      () => skips(receiver.logs).length === 2,
      5000,
      () => JSON.stringify(receiver.logs),
    );
    expect(skips(receiver.logs).sort()).toEqual(['not running: cooldown', 'not running: rate_limit']);
    expect((await receiver.runs(2)).length).toBe(2);
  });
});
