import { describe, expect, it } from 'vitest';
import { limiter } from '../../src/process/limit.ts';

describe('limiter', () => {
  it('runs at most N tasks at once, the others in the order given, and passes on results and failures', async () => {
    const run = limiter(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (index: number) => async () => {
      started.push(index);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (index === 4) throw new Error('four');
      return index * 10;
    };
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, index) => run(task(index))));
    expect(most).toBe(3);
    expect(started).toStrictEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))).toStrictEqual([
      0,
      10,
      20,
      30,
      'four',
      50,
      60,
      70,
      80,
      90,
    ]);
    // A slot freed by a failure is handed on: a task queued now still runs.
    expect(await run(async () => 'after')).toBe('after');
  });
});
