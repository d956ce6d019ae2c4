import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { definePlaybook } from '../../src/index.ts';
import { instant } from '../../src/webhook/state.ts';
import { alert, payload, perTest } from './harness.ts';

const note = definePlaybook({
  name: 'note',
  match: { alertname: 'ApiDown' },
  actions: [{ kind: 'log', name: 'say', message: 'restart {{ $labels.service }}' }],
  onFailure: { escalate: false },
  cooldown: '0s',
});

const tracked = perTest();

/** A scratch directory with an empty state directory in it. */
async function stateDir(): Promise<string> {
  const dir = await tracked.dir();
  await mkdir(path.join(dir, 'state'));
  return dir;
}

describe('the receiver’s own files', () => {
  it('skips and counts state records that are JSON but not records, and keeps the good ones', async () => {
    const dir = await stateDir();
    const queued = alert({ alertname: 'ApiDown', service: 'api' });
    const episode = { key: 'old-key', playbook: 'note', target: '["api",""]', alert: queued, at: Date.now() - 1000 };
    const lines = [
      'null',
      '42',
      '[]',
      '{"type":"accepted"}',
      '{"type":"accepted","episode":{"key":"k","playbook":"note"}}',
      '{"type":"started"}',
      '{"type":"finished","key":7,"at":"x","outcome":"remediated"}',
      '{"type":"unknown","key":"k","at":1}',
      JSON.stringify({ type: 'accepted', episode }),
      '{"type":"start', // cut short by a crash
    ];
    await writeFile(path.join(dir, 'state', 'state.jsonl'), `${lines.join('\n')}`);
    const receiver = await tracked.receiver([note], {}, dir);
    expect(receiver.logs.filter((line) => line.msg === 'skipped unreadable records of the state file')).toEqual([
      { level: 'warn', msg: 'skipped unreadable records of the state file', file: path.join(dir, 'state', 'state.jsonl'), records: 9 },
    ]);
    expect(receiver.logs.find((line) => line.msg === 'listening')).toMatchObject({ resumed: 1 });
    await receiver.runs(1);
    // The stored key is recomputed from the alert: a re-delivery is recognised.
    expect((await receiver.post(payload([queued]))).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await receiver.audit()).map((entry) => entry.outcome)).toEqual(['success']);
  });

  it('starts on a new line after a torn last line of the audit log', async () => {
    const dir = await stateDir();
    const audit = path.join(dir, 'state', 'audit.jsonl');
    await writeFile(audit, '{"time":"2024-05-01T10:00:00Z","fingerprint":"a"}\n{"time":"2024-05-01T10:0');
    const receiver = await tracked.receiver([note], {}, dir);
    await receiver.post(payload([alert({ alertname: 'ApiDown', service: 'api' })]));
    await receiver.runs(1);
    await receiver.shutdown();
    const lines = (await readFile(audit, 'utf8')).split('\n');
    expect(lines.slice(0, 2)).toEqual(['{"time":"2024-05-01T10:00:00Z","fingerprint":"a"}', '{"time":"2024-05-01T10:0']);
    expect(JSON.parse(lines[2]!)).toMatchObject({ playbook: 'note', action: 'say', outcome: 'success' });
    expect(lines.slice(3)).toEqual(['']);
  });
});

describe('instant', () => {
  it('spells one instant one way: UTC, nanoseconds', () => {
    expect(['2024-05-01T00:30:00+01:00', '2024-04-30T23:30:00Z', '2024-04-30T19:30:00.000000000000-04:00'].map(instant)).toEqual(
      Array(3).fill('2024-04-30T23:30:00.000000000Z'),
    );
    expect(instant('2024-05-01T10:00:00.123456789123Z')).toBe('2024-05-01T10:00:00.123456789Z');
    expect(instant('2024-05-01T10:00:00.5Z')).toBe('2024-05-01T10:00:00.500000000Z');
    expect(instant('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000000000Z');
  });
});
