// npm run bench:backtest — time `monforge backtest` over 7 days of the example platform.
// The example history (every service, a sample every 10 s, the incidents of docs/design.md) is backfilled and
// served by a real prometheus; the backtest of every alert of the working tree, with the
// incidents and Alertmanager's notifications, runs once to warm the server's caches, then
// BENCH_ROUNDS times (default 3). The baseline, measured in the same run: the same query_range
// calls (the same queries, chunks and concurrency) with nothing done with their answers. The
// ratio says how much the replay, the rule state, the notifications and the measures add to
// Prometheus's own evaluation. Last line: one JSON object.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { backtest } from '../src/backtest/index.ts';
import { prometheusApi, type PrometheusApi } from '../src/backtest/prometheus.ts';
import { defaultMaxSteps, evaluationTimes, replay } from '../src/backtest/replay.ts';
import { alertingRules, parseGeneratedTree, recordingRules } from '../src/reader/index.ts';
import { buildPlatform, evaluationIntervalOf } from '../src/run/generate.ts';
import { serveExampleHistory } from './backtest/serve.ts';

const days = 7;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const start = Date.UTC(2026, 0, 1) / 1000;
const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-bench-backtest-'));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const { platform, files } = await buildPlatform(process.cwd());
const setupStarted = performance.now();
const served = await serveExampleHistory(platform, dir, { start, days, onStep: log });
const setupSeconds = (performance.now() - setupStarted) / 1000;
try {
  const tree = parseGeneratedTree(files, 'working tree');
  let queryMs = 0;
  let queries = 0;
  const api = prometheusApi(served.server.url);
  const timed: PrometheusApi = {
    url: api.url,
    query: api.query,
    async queryRange(...args) {
      const started = performance.now();
      try {
        return await api.queryRange(...args);
      } finally {
        queryMs += performance.now() - started;
        queries += 1;
      }
    },
  };
  const run = async () => {
    queryMs = 0;
    queries = 0;
    const started = performance.now();
    const report = await backtest({
      api: timed,
      range: { from: served.start, to: served.end },
      head: { label: 'working tree', tree },
      incidents: served.incidents,
      evaluationInterval: evaluationIntervalOf(platform),
    });
    const wallMs = performance.now() - started;
    const evaluations = report.head.rows.reduce((sum, row) => sum + row.evaluations * row.rules, 0);
    return { wallMs, queryMs, queries, evaluations, alerts: report.head.rows.length };
  };
  // The queries as the backtest sends them, to be replayed bare.
  const sent = (
    await replay(
      api,
      alertingRules(tree),
      recordingRules(tree),
      { from: served.start, to: served.end },
      { evaluationInterval: evaluationIntervalOf(platform) },
    )
  ).map((rule) => ({ query: rule.query, interval: rule.interval }));
  const bare = async (): Promise<number> => {
    const started = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < sent.length) {
        const { query, interval } = sent[next++]!;
        const { first, count } = evaluationTimes({ from: served.start, to: served.end }, interval);
        for (let index = 0; index < count; index += defaultMaxSteps)
          await api.queryRange(
            query,
            first + index * interval,
            first + (Math.min(count, index + defaultMaxSteps) - 1) * interval,
            interval,
          );
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    return performance.now() - started;
  };
  await run();
  const measured = [];
  const baselines: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    baselines.push(await bare());
    const result = await run();
    measured.push(result);
    log(
      `round ${round + 1}: ${(result.wallMs / 1000).toFixed(2)} s for ${result.evaluations.toLocaleString('en')} rule evaluations (${result.queries} query_range calls; alone: ${(baselines.at(-1)! / 1000).toFixed(2)} s)`,
    );
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const wall = median(measured.map((each) => each.wallMs)) / 1000;
  const inPrometheus = median(measured.map((each) => each.queryMs)) / 1000;
  const baseline = median(baselines) / 1000;
  const summary = {
    days,
    samples: served.samples,
    alerts: measured[0]!.alerts,
    ruleEvaluations: measured[0]!.evaluations,
    queryRangeCalls: measured[0]!.queries,
    setupSeconds: Number(setupSeconds.toFixed(1)),
    backtestSeconds: Number(wall.toFixed(2)),
    bareQueriesSeconds: Number(baseline.toFixed(2)),
    ratioToBareQueries: Number((wall / baseline).toFixed(2)),
    serverBusySeconds: Number(inPrometheus.toFixed(2)),
    evaluationsPerSecond: Math.round(measured[0]!.evaluations / wall),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(
    `backtest of ${days} days of the example platform (${summary.samples.toLocaleString('en')} samples, ${summary.alerts} alerts): ${summary.backtestSeconds} s median of ${rounds}; the same query_range calls alone: ${summary.bareQueriesSeconds} s (×${summary.ratioToBareQueries}); history set up in ${summary.setupSeconds} s\n`,
  );
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await served.server.stop();
  await rm(dir, { recursive: true, force: true });
}
