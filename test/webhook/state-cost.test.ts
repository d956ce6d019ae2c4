import { describe, expect, it } from 'vitest';
import { EpisodeState } from '../../src/webhook/state.ts';
import { alert, scratch } from './harness.ts';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

describe('the cost of accepting', () => {
  // What the receiver does per new episode: the cooldown and hourly checks, then accept.
  // Timed against itself in the same run (batches early and late), not against a fixed figure.
  it('does not grow with the runs a playbook had in the last hour', { timeout: 120_000 }, async () => {
    const { dir, cleanup } = await scratch();
    const { state } = await EpisodeState.open(dir, Date.now());
    try {
      const batch = 2000; // 12 batches: 24,000 accepts of one playbook within the hour
      const times: number[] = [];
      for (let done = 0; done < 24_000; ) {
        const started = performance.now();
        for (const end = done + batch; done < end; done += 1) {
          const now = performance.now();
          const target = `["10.0.0.${done}"]`;
          if (state.inCooldown('restart', target, 0, now) || state.runsInLastHour('restart', now) >= 1_000_000) throw new Error('skipped');
          const firing = alert({ alertname: 'ApiDown', instance: `10.0.0.${done}` }, { fingerprint: `f${done}` });
          state.accept({ key: `k${done}`, playbook: 'restart', target, alert: firing, at: Date.now() }, now);
        }
        times.push(performance.now() - started);
        await new Promise((resolve) => setImmediate(resolve)); // the log writes what was appended
      }
      const early = median(times.slice(1, 6));
      const late = median(times.slice(-5));
      expect(
        late / early,
        `2,000 accepts: ${early.toFixed(1)} ms (median of batches 2–6), ${late.toFixed(1)} ms (batches 8–12)`,
      ).toBeLessThan(2.5);
    } finally {
      await state.close();
      await cleanup();
    }
  });
});
