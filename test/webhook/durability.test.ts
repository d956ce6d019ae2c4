import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { definePlaybook } from '../../src/index.ts';
import {
  alert,
  jsonLines,
  payload,
  postAlerts,
  receiverArgs,
  scratchPerSuite,
  spawnReceiver,
  startReceiver,
  until,
  writeInputs,
} from './harness.ts';

describe('acknowledgement', () => {
  const dir = scratchPerSuite();

  it('answers 202 once the accepted records are on disk, with one fsync for many concurrent requests', async () => {
    const slow = definePlaybook({
      name: 'slow',
      match: { alertname: 'ApiDown' },
      allowExec: ['/bin/sleep'],
      actions: [{ kind: 'exec', name: 'wait', argv: ['/bin/sleep', '5'] }],
      onFailure: { escalate: false },
      cooldown: '0s',
      maxRunsPerHour: 1000,
    });
    const receiver = await startReceiver(path.join(dir(), 'group'), [slow], { concurrency: 1, shutdownTimeoutMs: 100 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 64 }, (_, index) => receiver.post(payload([alert({ alertname: 'ApiDown', instance: `i${index}` })]))),
      );
      const accepted = (await jsonLines(path.join(receiver.dir, 'state', 'state.jsonl'))).filter((record) => record.type === 'accepted');
      expect(statuses.map((response) => response.status)).toEqual(Array(64).fill(202));
      expect(accepted).toHaveLength(64);
      const syncs = Number(
        /^monforge_webhook_state_sync_duration_seconds_count (\d+)$/m.exec(await (await fetch(`${receiver.url}/metrics`)).text())?.[1],
      );
      expect(syncs).toBeGreaterThan(0);
      expect(syncs).toBeLessThanOrEqual(16);
    } finally {
      await receiver.shutdown();
    }
  });
});

// Bursts of notifications and kill -9 at random moments, then restarts on the same state: every
// alert acknowledged with 202 runs exactly once (at most once when a kill interrupted its run),
// and a re-delivery never runs anything twice.
describe('soak: kill -9 during bursts', () => {
  const dir = scratchPerSuite();

  // Six receivers start (each 4–10 s of node and tsx start-up on a loaded 2-core machine, measured).
  it('runs every acknowledged alert exactly once across restarts', { timeout: 120_000 }, async () => {
    const marks = path.join(dir(), 'marks');
    const mark = definePlaybook({
      name: 'mark',
      match: { alertname: 'Soak' },
      allowExec: ['/bin/sh'],
      actions: [{ kind: 'exec', name: 'mark', argv: ['/bin/sh', '-c', 'echo "$MONFORGE_LABEL_INSTANCE" >> "$MONFORGE_MARKS"'] }],
      onFailure: { escalate: false },
      cooldown: '0s',
      maxRunsPerHour: 1_000_000,
    });
    process.env.MONFORGE_MARKS = marks;
    const args = receiverArgs(await writeInputs(dir(), [mark]), path.join(dir(), 'state'), '--queue-size', '100000', '--concurrency', '4');

    const alerts: ReturnType<typeof alert>[] = [];
    const acknowledged = new Set<string>();
    const interrupted = new Set<string>();
    const instanceOf = new Map<string, string>();
    const newAlert = () => {
      const each = alert({ alertname: 'Soak', service: 'soak', instance: `i${alerts.length}` });
      alerts.push(each);
      instanceOf.set(each.fingerprint, each.labels.instance!);
      return each;
    };
    const deliver = async (url: string, batch: ReturnType<typeof alert>[]) => {
      const response = await postAlerts(url, payload(batch)).catch(() => undefined);
      if (response?.status === 202) for (const each of batch) acknowledged.add(each.labels.instance!);
    };
    const collectInterrupted = (logs: Record<string, unknown>[]) => {
      for (const line of logs)
        if (line.msg === 'run interrupted by a crash or kill before it finished; not re-run')
          interrupted.add(instanceOf.get(String(line.fingerprint))!);
    };

    const cycles = 5;
    for (let cycle = 0; cycle < cycles; cycle += 1) {
      const receiver = spawnReceiver(args);
      const url = await receiver.listening();
      let killed = false;
      const killer = setTimeout(
        () => {
          killed = true;
          receiver.child.kill('SIGKILL');
        },
        150 + Math.random() * 500,
      );
      while (!killed) {
        // 16 concurrent notifications of 1–3 alerts, mostly new, some re-deliveries.
        await Promise.all(
          Array.from({ length: 16 }, () => {
            const batch = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () =>
              Math.random() < 0.2 && alerts.length > 0 ? alerts[Math.floor(Math.random() * alerts.length)]! : newAlert(),
            );
            return deliver(url, batch);
          }),
        );
      }
      clearTimeout(killer);
      await receiver.exited;
      collectInterrupted(receiver.logs());
    }

    // Alertmanager re-sends what was not acknowledged (and nothing else).
    const last = spawnReceiver(args);
    const url = await last.listening();
    const pending = alerts.filter((each) => !acknowledged.has(each.labels.instance!));
    for (let at = 0; at < pending.length; at += 10) await deliver(url, pending.slice(at, at + 10));
    expect(alerts.every((each) => acknowledged.has(each.labels.instance!))).toBe(true);
    await until(
      async () =>
        /^monforge_webhook_queue_depth 0$/m.test(await (await fetch(`${url}/metrics`)).text()) &&
        /^monforge_webhook_running 0$/m.test(await (await fetch(`${url}/metrics`)).text()),
      20_000,
      last.stdout,
    );
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
    collectInterrupted(last.logs());

    const counts = new Map<string, number>();
    for (const line of (await readFile(marks, 'utf8').catch(() => '')).split('\n').filter(Boolean))
      counts.set(line, (counts.get(line) ?? 0) + 1);
    const twice = [...counts].filter(([, count]) => count > 1).map(([instance]) => instance);
    const lost = alerts.map((each) => each.labels.instance!).filter((instance) => !counts.has(instance) && !interrupted.has(instance));
    expect({ twice, lost }).toEqual({ twice: [], lost: [] });
    expect(alerts.length).toBeGreaterThan(100);
    process.stdout.write(`soak: ${alerts.length} alerts, ${cycles} kills, ${interrupted.size} runs interrupted by a kill\n`);
  });
});
