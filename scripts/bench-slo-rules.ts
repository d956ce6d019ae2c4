// Benchmark of the SLO rules in a real Prometheus: 3 days and an hour of synthetic history for
// one SLO at 1,000 and 10,000 raw series (15 s scrape), backfilled with promtool, its recording
// rules backfilled too, served by prometheus. Every rule expression of the SLO is queried at the
// end of the history with stats=all, for three rule sets side by side: monforge's rules before
// issue #13 (fixture), after it, and Sloth's. Then the SLI of each set against the truth, on
// steady traffic and on the uneven accuracy jobs, and NaN/absent counts over the last two days.
// Last line: one JSON object. BENCH_SERIES=1000 runs one size; BENCH_KEEP=1 keeps the data.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { backfillOpenMetrics, backfillRecordingRules, verifyBlocks, type HistoryServer } from './history/index.ts';
import { jobs, requestsMetric, type Job } from './bench-slo-rules/platform.ts';
import { ruleSetNames, ruleSets, rulesOf, sliSelector, type RuleSetName } from './bench-slo-rules/rulesets.ts';
import { end, start, traffic, trueErrorRatio, type Traffic } from './bench-slo-rules/traffic.ts';
import { seconds, type Duration } from '../src/model/duration.ts';

const sizes = process.env.BENCH_SERIES ? [Number(process.env.BENCH_SERIES)] : [1000, 10_000];
const windows: Duration[] = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'];
const queryRuns = 3;
const defaultMaxSamples = 50_000_000;

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const relative = (value: number, truth: number): number => Math.abs(value - truth) / Math.abs(truth);
/** The largest of relative errors; NaN (an SLI that is NaN or absent) counts as infinitely wrong. */
const worst = (errors: number[]): number | string => {
  const max = Math.max(...errors.map((each) => (Number.isNaN(each) ? Number.POSITIVE_INFINITY : each)));
  return Number.isFinite(max) ? Number(max.toPrecision(3)) : 'NaN';
};
const fixed = (value: number, digits = 3): string => (Number.isFinite(value) ? value.toPrecision(digits) : String(value));

interface RuleCost {
  readonly key: string;
  readonly samples: number;
  readonly wallMs: number;
}

/** Every rule of the myservice SLO in each set, queried at the end of the history. */
async function costs(server: HistoryServer, sets: Record<RuleSetName, Awaited<ReturnType<typeof ruleSets>>[RuleSetName]>) {
  const result = {} as Record<RuleSetName, RuleCost[]>;
  for (const set of ruleSetNames) {
    result[set] = [];
    for (const { key, rule } of rulesOf(set, sets[set], 'myservice')) {
      const runs = [];
      for (let run = 0; run < queryRuns; run += 1) runs.push(await server.query(rule.expr, end));
      result[set].push({ key, samples: runs[0]!.stats.samples, wallMs: median(runs.map((each) => each.stats.wallMs)) });
    }
  }
  return result;
}

/** One SLI value of a set at the end of the history (NaN when absent). */
async function sli(server: HistoryServer, set: RuleSetName, job: Job, window: Duration): Promise<number> {
  const { result } = await server.query(`slo:sli_error:ratio_rate${window}${sliSelector(set, job)}`, end);
  return result[0]?.value ?? Number.NaN;
}

/** The SLI computed from the raw series over the window: errors over requests, both from increase(). */
async function rawErrorRatio(server: HistoryServer, job: Job, window: Duration): Promise<number> {
  const increase = (matchers: string): string => `sum(increase(${requestsMetric}{job="${job}"${matchers}}[${window}]))`;
  const { result } = await server.query(`${increase(',code=~"(5..|429)"')} / ${increase('')}`, end);
  return result[0]?.value ?? Number.NaN;
}

/** Steps of the last two days where an expression is NaN, and where it is absent. */
async function gaps(server: HistoryServer, expr: string): Promise<{ nan: number; absent: number; steps: number }> {
  const step = 900;
  const from = end - 2 * 86_400;
  const steps = (end - from) / step + 1;
  const series = await server.queryRange(expr, from, end, step);
  const values = series[0]?.values ?? [];
  return { nan: values.filter(([, value]) => Number.isNaN(value)).length, absent: steps - values.length, steps };
}

/** The error-ratio expression a set records for a window of a job (a rule's expr, so ranges are evaluated afresh). */
function windowExpr(sets: Awaited<ReturnType<typeof ruleSets>>, set: RuleSetName, job: Job, window: Duration): string | undefined {
  return rulesOf(set, sets[set], job).find((each) => each.key === `slo:sli_error:ratio_rate${window}`)?.rule.expr;
}

async function measure(count: number) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-bench-slo-'));
  const dataDir = path.join(dir, 'data');
  try {
    const sets = await ruleSets();
    const synthetic: Traffic = traffic(count);
    const started = performance.now();
    const samples = await backfillOpenMetrics(synthetic.history, dataDir, {
      workDir: path.join(dir, 'openmetrics'),
      onBlock: (done, total) => {
        if (done % 6 === 0 || done === total) log(`  ${count} series: ${done}/${total} blocks written`);
      },
    });
    await verifyBlocks(dataDir, { samples, start, end });
    const backfillSeconds = (performance.now() - started) / 1000;
    log(`  ${count} series: ${samples} raw samples backfilled and verified in ${backfillSeconds.toFixed(0)} s`);
    const server = await backfillRecordingRules({
      groups: ruleSetNames.flatMap((set) => sets[set]),
      server: { dataDir, workDir: path.join(dir, 'work'), maxSamples: 2_000_000_000 },
      start,
      end,
      tailSeconds: 900,
      timeoutMs: 30 * 60_000,
      onStage: (stage, stages) => log(`  ${count} series: recording rules, stage ${stage}/${stages}`),
    });
    try {
      const cost = await costs(server, sets);
      const accuracy: Record<string, Record<string, number>> = {};
      for (const job of jobs) {
        for (const window of job === 'myservice' ? windows : (['1d', '3d', '30d'] as const)) {
          accuracy[`${job} ${window}`] = {
            raw: await rawErrorRatio(server, job, window),
            truth: trueErrorRatio(synthetic.byJob.get(job)!, end, seconds(window)),
            after: await sli(server, 'after', job, window),
            before: await sli(server, 'before', job, window),
            ...(job === 'myservice' ? { sloth: await sli(server, 'sloth', job, window) } : {}),
          };
        }
      }
      const holes: Record<string, { nan: number; absent: number; steps: number }> = {};
      for (const job of jobs.filter((each) => each !== 'myservice')) {
        for (const set of ['after', 'before'] as const) {
          for (const window of ['1h', '30d'] as const)
            holes[`${job} ${set} ${window}`] = await gaps(server, windowExpr(sets, set, job, window)!);
        }
      }
      return { count, samples, backfillSeconds, cost, accuracy, holes };
    } finally {
      await server.stop();
    }
  } finally {
    if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
    else log(`  kept ${dir}`);
  }
}

type Result = Awaited<ReturnType<typeof measure>>;

function report(result: Result) {
  const { cost } = result;
  const keys = [...new Set(ruleSetNames.flatMap((set) => cost[set].map((each) => each.key)))];
  const cell = (set: RuleSetName, key: string, field: 'samples' | 'wallMs'): string => {
    const found = cost[set].filter((each) => each.key === key);
    if (found.length === 0) return '—';
    return found.map((each) => (field === 'samples' ? String(each[field]) : each[field].toFixed(1))).join(' + ');
  };
  log(
    `\n${result.count} raw series of myservice (${result.samples} samples in all jobs): samples touched per rule at the end of the history, and wall ms`,
  );
  log(['rule', ...ruleSetNames.map((set) => `${set} samples`), ...ruleSetNames.map((set) => `${set} ms`)].join(' | '));
  for (const key of keys)
    log([key, ...ruleSetNames.map((set) => cell(set, key, 'samples')), ...ruleSetNames.map((set) => cell(set, key, 'wallMs'))].join(' | '));
  const totals = Object.fromEntries(
    ruleSetNames.map((set) => [
      set,
      {
        rules: cost[set].length,
        samples: cost[set].reduce((sum, each) => sum + each.samples, 0),
        maxRuleSamples: Math.max(...cost[set].map((each) => each.samples)),
        rulesOver50M: cost[set].filter((each) => each.samples > defaultMaxSamples).map((each) => each.key),
        wallMs: Number(cost[set].reduce((sum, each) => sum + each.wallMs, 0).toFixed(1)),
      },
    ]),
  ) as Record<RuleSetName, { rules: number; samples: number; maxRuleSamples: number; rulesOver50M: string[]; wallMs: number }>;
  log(
    ['total', ...ruleSetNames.map((set) => String(totals[set].samples)), ...ruleSetNames.map((set) => totals[set].wallMs.toFixed(1))].join(
      ' | ',
    ),
  );
  log(
    '\nSLI error ratio at the end of the history; relative error against the raw computation (increase() of the raw series over the window)',
  );
  for (const [name, values] of Object.entries(result.accuracy)) {
    log(
      `${name}: raw ${fixed(values.raw!, 4)}, truth ${fixed(values.truth!, 4)}; ${Object.entries(values)
        .filter(([set]) => set !== 'raw' && set !== 'truth')
        .map(([set, value]) => `${set} ${fixed(value, 4)} (${fixed(relative(value, values.raw!) * 100, 2)} %)`)
        .join(', ')}`,
    );
  }
  log('\nNaN / absent steps of the last two days (every 15 min), 1h window and SLO window');
  for (const [name, holes] of Object.entries(result.holes)) log(`${name}: ${holes.nan} NaN, ${holes.absent} absent of ${holes.steps}`);
  const steady = windows.map((window) => result.accuracy[`myservice ${window}`]!);
  const uneven = Object.entries(result.accuracy).filter(([name]) => !name.startsWith('myservice'));
  return {
    series: result.count,
    samplesPerRound: Object.fromEntries(ruleSetNames.map((set) => [set, totals[set].samples])),
    afterOverSloth: Number((totals.after.samples / totals.sloth.samples).toPrecision(4)),
    afterOverBefore: Number((totals.after.samples / totals.before.samples).toPrecision(4)),
    maxRuleSamples: Object.fromEntries(ruleSetNames.map((set) => [set, totals[set].maxRuleSamples])),
    rulesOver50M: Object.fromEntries(ruleSetNames.map((set) => [set, totals[set].rulesOver50M.length])),
    wallMs: Object.fromEntries(ruleSetNames.map((set) => [set, totals[set].wallMs])),
    afterOverSlothWall: Number((totals.after.wallMs / totals.sloth.wallMs).toPrecision(4)),
    steadyMaxRelativeErrorAfterVsRaw: worst(steady.map((each) => relative(each.after!, each.raw!))),
    unevenMaxRelativeErrorAfterVsRaw: worst(uneven.map(([, each]) => relative(each.after!, each.raw!))),
    unevenMaxRelativeErrorBeforeVsRaw: worst(uneven.map(([, each]) => relative(each.before!, each.raw!))),
    nanOrAbsentAfter: Object.entries(result.holes)
      .filter(([name]) => name.includes(' after '))
      .reduce((sum, [, holes]) => sum + holes.nan + holes.absent, 0),
    nanOrAbsentBefore: Object.entries(result.holes)
      .filter(([name]) => name.includes(' before '))
      .reduce((sum, [, holes]) => sum + holes.nan + holes.absent, 0),
  };
}

const summaries = [];
for (const count of sizes) {
  log(`measuring ${count} series …`);
  summaries.push(report(await measure(count)));
}
process.stdout.write(`${JSON.stringify({ benchmark: 'slo-rules', runs: summaries })}\n`);
