import { describe, expect, it } from 'vitest';
import { type PrometheusApi, PrometheusQueryError } from '../../src/backtest/prometheus.ts';
import { evaluationTimes, replay } from '../../src/backtest/replay.ts';
import { alertingRules, parseGeneratedTree, recordingRules } from '../../src/reader/index.ts';

// Chunking and the evaluation grid, against a stand-in server whose answer is a function of
// time: the condition holds during [1000, 5000) and [20_000, 20_030), and a query of more than
// `limit` evaluations is refused the way Prometheus refuses one over --query.max-samples.

const tree = parseGeneratedTree(
  new Map([
    [
      'prometheus/rules/x.rules.yml',
      `groups:
  - name: fast
    interval: 10s
    rules:
      - alert: Flappy
        expr: up == 0
        for: 30s
        labels: { severity: critical }
`,
    ],
  ]),
  'x',
);

function server(limit: number): PrometheusApi & { calls: [number, number][] } {
  const calls: [number, number][] = [];
  return {
    url: 'http://stand-in',
    calls,
    async query() {
      return [];
    },
    async queryRange(_expr, start, end, step) {
      const steps = Math.round((end - start) / step) + 1;
      if (steps > limit)
        throw new PrometheusQueryError('x', 'execution', 'query processing would load too many samples into memory in query execution');
      calls.push([start, end]);
      const times: number[] = [];
      for (let time = start; time <= end; time += step)
        if ((time >= 1000 && time < 5000) || (time >= 20_000 && time < 20_030)) times.push(time);
      return [{ labels: { job: 'x' }, times }];
    },
  };
}

const run = (api: PrometheusApi, maxSteps?: number) =>
  replay(
    api,
    alertingRules(tree),
    recordingRules(tree),
    { from: 5, to: 30_000 },
    { evaluationInterval: 60, ...(maxSteps && { maxSteps }) },
  );

describe('replay in chunks', () => {
  it('evaluation times: floor((t − offset) / interval) × interval + offset, from the first at or after the start', () => {
    expect(evaluationTimes({ from: 5, to: 30_000 }, 10)).toStrictEqual({ first: 10, count: 3000 });
    expect(evaluationTimes({ from: 5, to: 30_000 }, 10, 3)).toStrictEqual({ first: 13, count: 2999 });
    expect(evaluationTimes({ from: 10, to: 9 }, 10)).toStrictEqual({ first: 10, count: 0 });
  });

  it('gives the same episodes in one query, in chunks of 7 evaluations (state carried across) and after halving refused chunks', async () => {
    const whole = await run(server(10_000));
    // The second stretch lasts 30 s: pending for 20 s, dropped before `for` elapses.
    expect(whole[0]!.episodes.map((each) => [each.start, each.end])).toStrictEqual([[1030, 5000]]);
    const chunked = server(10_000);
    expect((await run(chunked, 7))[0]!.episodes).toStrictEqual(whole[0]!.episodes);
    expect(chunked.calls).toHaveLength(Math.ceil(3000 / 7));
    expect(chunked.calls[1]).toStrictEqual([80, 140]);
    const limited = server(400);
    expect((await run(limited))[0]!.episodes).toStrictEqual(whole[0]!.episodes);
    // 3000 evaluations: refused, then 1500, 750, then 375 at a time (8 calls).
    expect(limited.calls).toHaveLength(8);
    expect(whole[0]!.evaluations).toBe(3000);
  });

  it("an error Prometheus gives for one rule is that rule's error; one it cannot be split out of is kept", async () => {
    const refused = await run(server(0));
    expect(refused[0]!.error).toBe('x');
    expect(refused[0]!.episodes).toStrictEqual([]);
  });
});
