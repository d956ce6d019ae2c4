import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { definePlaybook } from '../../src/index.ts';
import { alert, payload, perTest, startReceiver } from './harness.ts';

const log = (name: string) => ({ kind: 'log' as const, name, message: `${name} {{ $labels.service }}` });
const restart = definePlaybook({
  name: 'restart',
  match: { alertname: 'ApiDown' },
  actions: [log('restart')],
  onFailure: { escalate: false },
  cooldown: '10m',
});
const apiDown = (labels: Record<string, string> = {}, overrides: Parameters<typeof alert>[1] = {}) =>
  alert({ alertname: 'ApiDown', service: 'api', ...labels }, overrides);

/** Every ApiDown runs `sleep seconds`, with no cooldown. */
const sleeper = (seconds: string) =>
  definePlaybook({
    name: 'slow',
    match: { alertname: 'ApiDown' },
    allowExec: ['/bin/sleep'],
    actions: [{ kind: 'exec', name: 'wait', argv: ['/bin/sleep', seconds] }],
    onFailure: { escalate: false },
    cooldown: '0s',
  });

const tracked = perTest();
const receiverWith = tracked.receiver;

const steps = (audit: Record<string, unknown>[]) =>
  audit.map((entry) =>
    `${entry.playbook} ${entry.action} ${(entry.labels as Record<string, string>).instance ?? ''} ${entry.outcome}`.replace('  ', ' '),
  );

describe('exactly once per firing episode', () => {
  it('runs a notification delivered three times once', async () => {
    const receiver = await receiverWith([restart]);
    const body = payload([apiDown()]);
    for (let delivery = 0; delivery < 3; delivery += 1) expect((await receiver.post(body)).status).toBe(202);
    await receiver.runs(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(steps(await receiver.audit())).toEqual(['restart restart success']);
    expect(await (await fetch(`${receiver.url}/metrics`)).text()).toContain('monforge_webhook_dedupe_hits_total 2');
  });

  it('skips a new episode of the same target within the cooldown, not another target', async () => {
    const receiver = await receiverWith([restart]);
    await receiver.post(payload([apiDown({ instance: 'a' })]));
    await receiver.post(payload([apiDown({ instance: 'a' }, { startsAt: '2024-05-01T11:00:00Z' })])); // fired again: cooldown
    await receiver.post(payload([apiDown({ instance: 'b' })]));
    await receiver.runs(2);
    expect(steps(await receiver.audit())).toEqual(['restart restart a success', 'restart restart b success']);
    expect(receiver.logs.filter((line) => line.msg === 'not running: cooldown')).toHaveLength(1);
  });

  it('stops at the maximum runs per hour of a playbook', async () => {
    const limited = definePlaybook({ ...restart, name: 'limited', maxRunsPerHour: 2 });
    const receiver = await receiverWith([limited]);
    await receiver.post(payload(['a', 'b', 'c', 'd'].map((instance) => apiDown({ instance }))));
    await receiver.runs(2);
    expect(steps(await receiver.audit())).toEqual(['limited restart a success', 'limited restart b success']);
    expect(await (await fetch(`${receiver.url}/metrics`)).text()).toContain(
      'monforge_webhook_skipped_total{playbook="limited",reason="rate_limit"} 2',
    );
  });

  it('accepts what fits of a notification larger than the queue, defers the rest, and queues them when it is delivered again', async () => {
    const receiver = await receiverWith([definePlaybook({ ...sleeper('0.2'), maxRunsPerHour: 100 })], { queueSize: 3, concurrency: 1 });
    const instances = Array.from({ length: 10 }, (_, index) => `i${index}`);
    const big = payload(instances.map((instance) => apiDown({ instance })));
    const first = await receiver.post(big);
    expect([first.status, await first.json()]).toEqual([202, { status: 'accepted' }]);
    const metrics = async () => await (await fetch(`${receiver.url}/metrics`)).text();
    expect(await metrics()).toContain('monforge_webhook_deferred_total{playbook="slow",reason="queue_full"} 7');
    expect(receiver.logs.filter((line) => line.msg === 'deferred: queue full').map((line) => line.fingerprint)).toHaveLength(7);
    // Alertmanager re-sends the notification at every group_interval while the alerts fire.
    for (let ran = 3; ran < 10; ran = Math.min(10, ran + 3)) {
      await receiver.runs(ran);
      expect((await receiver.post(big)).status).toBe(202);
    }
    await receiver.runs(10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(steps(await receiver.audit()).sort()).toEqual(instances.map((instance) => `slow wait ${instance} success`).sort());
    // Each episode deferred is counted once, however often it is deferred again.
    expect(await metrics()).toContain('monforge_webhook_deferred_total{playbook="slow",reason="queue_full"} 7');
  });

  it('never defers the resolved run of an alert whose firing run happened (Alertmanager does not send it again)', async () => {
    const scale = definePlaybook({
      ...sleeper('0.5'),
      name: 'scale',
      onResolved: [{ kind: 'log', name: 'down', message: 'scaling down {{ $labels.instance }}' }],
    });
    const receiver = await receiverWith([scale], { queueSize: 1, concurrency: 1 });
    expect((await receiver.post(payload([apiDown({ instance: 'a' })]))).status).toBe(202); // running
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await receiver.post(payload([apiDown({ instance: 'b' })]))).status).toBe(202); // the queue is full
    expect((await receiver.post(payload([apiDown({ instance: 'a' }, { status: 'resolved' })]))).status).toBe(202);
    await receiver.runs(3);
    expect(steps(await receiver.audit())).toEqual(['scale wait a success', 'scale wait b success', 'scale down a success']);
  });

  it('runs 3 of 150 new alerts for a playbook limited to 3 runs an hour, skips the rest, and acknowledges', async () => {
    const limited = definePlaybook({ ...restart, name: 'limited', cooldown: '0s', maxRunsPerHour: 3 });
    const receiver = await receiverWith([limited]);
    const storm = payload(Array.from({ length: 150 }, (_, index) => apiDown({ instance: `i${index}` })));
    expect((await receiver.post(storm)).status).toBe(202);
    expect((await receiver.post(storm)).status).toBe(202);
    await receiver.runs(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(steps(await receiver.audit())).toEqual(['i0', 'i1', 'i2'].map((instance) => `limited restart ${instance} success`));
    const metrics = await (await fetch(`${receiver.url}/metrics`)).text();
    expect(metrics).toContain('monforge_webhook_skipped_total{playbook="limited",reason="rate_limit"} 147');
    expect(metrics).toContain('monforge_webhook_notifications_total{status="firing"} 300');
  });

  it('treats one instant written four ways as one startsAt', async () => {
    const receiver = await receiverWith([definePlaybook({ ...restart, cooldown: '0s' })]);
    for (const startsAt of [
      '2024-05-01T10:00:00Z',
      '2024-05-01T12:00:00+02:00',
      '2024-05-01T10:00:00.000Z',
      '2024-05-01T06:00:00.000000000-04:00',
    ])
      expect((await receiver.post(payload([apiDown({}, { startsAt })]))).status).toBe(202);
    await receiver.runs(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(steps(await receiver.audit())).toEqual(['restart restart success']);
    expect(await (await fetch(`${receiver.url}/metrics`)).text()).toContain('monforge_webhook_dedupe_hits_total 3');
  });
});

describe('firing and resolved', () => {
  const throttle = definePlaybook({
    name: 'throttle',
    match: { alertname: 'ApiDown' },
    actions: [log('throttle-on')],
    onResolved: [log('throttle-off')],
    onFailure: { escalate: false },
  });

  it('acts on each alert’s own status, not the top-level one, and never on resolved by default', async () => {
    const receiver = await receiverWith([restart, throttle]);
    // The top-level status says firing (max_alerts truncated the firing one away); this alert is resolved.
    await receiver.post(payload([apiDown({ instance: 'a' }, { status: 'resolved' })], 'firing'));
    await receiver.post(payload([apiDown({ instance: 'b' })]));
    await receiver.post(payload([apiDown({ instance: 'b' }, { status: 'resolved' })], 'resolved'));
    await receiver.runs(3);
    expect(steps(await receiver.audit()).sort()).toEqual([
      'restart restart b success',
      'throttle throttle-off b success',
      'throttle throttle-on b success',
    ]);
    expect(receiver.logs.find((line) => line.msg === 'not running: not_run_when_firing')).toMatchObject({ playbook: 'throttle' });
  });

  it('runs the resolved actions only after the firing run of the same alert has ended', async () => {
    const dir = await tracked.dir();
    const marks = path.join(dir, 'marks');
    const step = (name: string) => ({
      kind: 'exec' as const,
      name,
      argv: ['/bin/sh', '-c', `echo "start $MONFORGE_STATUS" >> ${marks}; sleep 1; echo "end $MONFORGE_STATUS" >> ${marks}`] as [
        '/bin/sh',
        ...string[],
      ],
    });
    const scale = definePlaybook({
      name: 'scale',
      match: { alertname: 'ApiDown' },
      allowExec: ['/bin/sh'],
      actions: [step('up')],
      onResolved: [step('down')],
      onFailure: { escalate: false },
    });
    const receiver = await receiverWith([scale], {}, dir);
    await receiver.post(payload([apiDown()]));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the firing run is running
    await receiver.post(payload([apiDown({}, { status: 'resolved' })]));
    await receiver.runs(2);
    expect(await readFile(marks, 'utf8')).toBe('start firing\nend firing\nstart resolved\nend resolved\n');
  });
});

describe('state across restarts', () => {
  it('keeps the dedupe state, and resumes a run that was queued at shutdown', async () => {
    const dir = await tracked.dir();
    const slow = sleeper('0.3');
    const first = await startReceiver(dir, [slow], { concurrency: 1 });
    await first.post(payload([apiDown({ instance: 'a' })]));
    await first.post(payload([apiDown({ instance: 'b' })])); // queued behind a
    await first.shutdown(); // waits for a; b never starts
    expect(steps(await first.audit())).toEqual(['slow wait a success']);

    const second = await receiverWith([slow], { concurrency: 1 }, dir);
    expect(second.logs.find((line) => line.msg === 'listening')).toMatchObject({ resumed: 1 });
    for (const instance of ['a', 'b']) expect((await second.post(payload([apiDown({ instance })]))).status).toBe(202);
    await second.runs(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(steps(await second.audit())).toEqual(['slow wait a success', 'slow wait b success']);
    expect(await (await fetch(`${second.url}/metrics`)).text()).toContain('monforge_webhook_dedupe_hits_total 2');
  });
});
