import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inlineRecordingRules, recordingRulesByName } from '../../../src/backtest/inline.ts';
import { groupInterval } from '../../../src/backtest/replay.ts';
import { seconds, type Duration } from '../../../src/model/duration.ts';
import { readGeneratedDir, recordingRules, type Located, type RecordingRule, type Rule } from '../../../src/reader/index.ts';
import { backfillOpenMetrics, startPrometheus, verifyBlocks, type HistoryServer, type History } from '../../../scripts/history/index.ts';
import { monforgeInProcess, repoRoot } from '../../helpers/index.ts';
import { initProject } from './scratch.ts';

// The proof that importing Sloth specs keeps their SLIs: Sloth's own generated rules
// (test/fixtures/import/slo/sloth-generated; for a raw SLI, its query with the window in it) and
// the rules monforge generates from the imported definitions, evaluated on the same synthetic
// series in a real Prometheus: a ratio SLO, two gauge SLOs with a bound, one of a gauge's mean.
//
// Sloth computes each window W from the raw series (`rate(x[W])`); monforge sums its 5m
// aggregates over W (README "SLO rules"), which weighs the minutes at the window's two edges
// differently: the two agree exactly when traffic and error ratio are the same at both edges of
// every window, and differ by up to the 2.5 minutes' shift otherwise. The history is built so:
// ten times more traffic by day than by night, bursts of errors inside the windows, every window
// edge by day with the baseline error ratio. Monforge's windows are evaluated as Prometheus
// evaluates its rules (inlined at their group's interval, as `monforge backtest` does).
//
// Sloth's "30d" is the mean of its 5m ratios, which weighs a quiet night's five minutes like a
// busy hour's; monforge's is traffic-weighted. They are different quantities: monforge's is
// compared with the truth (errors / events of the whole history), Sloth's shown to differ from it.

const fixtures = path.join(repoRoot, 'test/fixtures/import/slo');
const minute = 60;
const hour = 3600;
const day = 86_400;
/** 2026-11-30 00:00 UTC: every day of the history starts at midnight. */
const start = 1_796_083_200;
/** The evaluation time: on the fourth day at 16:00, by day, 10 minutes before the history ends. */
const at = start + 3 * day + 16 * hour;
const end = at + 10 * minute;
const step = 15;
const windows: Duration[] = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

const daytime = (time: number): boolean => {
  const hours = ((time - start) % day) / hour;
  return hours >= 8 && hours < 20;
};
/** Requests per second. */
const traffic = (time: number): number => (daytime(time) ? 20 : 2);
/** Bursts of errors inside the windows, none within 5 minutes of any window's edge. */
const bursts: { from: number; to: number; ratio: number }[] = [
  { from: at - 58 * minute, to: at - 38 * minute, ratio: 0.05 }, // by day: 1h and longer
  { from: at - 20 * hour, to: at - 18 * hour, ratio: 0.02 }, // at night: 1d and 3d
  { from: at - 60 * hour, to: at - 57 * hour, ratio: 0.015 }, // at night: 3d
];
const errorRatio = (time: number): number => bursts.find((burst) => time >= burst.from && time < burst.to)?.ratio ?? 0.001;

/** Events per minute, every rate constant within a minute: cumulative counters are exact prefix sums. */
const minutes = Math.ceil((end - start) / minute) + 1;
const perMinute = (share: (time: number) => number): Float64Array => {
  const sums = new Float64Array(minutes + 1);
  for (let index = 0; index < minutes; index += 1) {
    const time = start + index * minute;
    sums[index + 1] = sums[index]! + traffic(time) * minute * share(time);
  }
  return sums;
};
const cumulative =
  (sums: Float64Array) =>
  (time: number): number => {
    const index = Math.floor((time - start) / minute);
    const within = (time - start - index * minute) / minute;
    return sums[index]! + (sums[index + 1]! - sums[index]!) * within;
  };
const errors500 = perMinute((time) => 0.7 * errorRatio(time));
const errors429 = perMinute((time) => 0.3 * errorRatio(time));
const notFound = perMinute(() => 0.01);
const ok = perMinute((time) => 0.99 - errorRatio(time));

/** Client satisfaction of 8 wifi clients: 0.95, but some clients lower during bursts inside the windows. */
const dips: { from: number; to: number; clients: number; value: number }[] = [
  { from: at - 25 * minute, to: at - 15 * minute, clients: 1, value: 0.7 }, // 30m and longer
  { from: at - 58 * minute, to: at - 38 * minute, clients: 4, value: 0.45 }, // 1h and longer
  { from: at - 20 * hour, to: at - 18 * hour, clients: 5, value: 0.6 }, // 1d and 3d
  { from: at - 60 * hour, to: at - 57 * hour, clients: 2, value: 0.4 }, // 3d
];
const satisfaction = (client: number, time: number): number =>
  dips.find((dip) => time >= dip.from && time < dip.to && client < dip.clients)?.value ?? 0.95;

/**
 * Each target scraped every 15 s at its own offset, as Prometheus spreads them: the requests'
 * on the minute, where Sloth's `rate(x[W])` needs no extrapolation at the window's edges (it
 * extrapolates the window's average rate over the gap, up to a scrape interval, to the edge: a
 * few tenths of a percent off where a burst sits inside the window), the wifi clients' 7 s
 * past it, so that no gauge sample sits on a range's edge, which Prometheus 2.x ranges include.
 */
const scrapedAt =
  (offset: number, value: (time: number) => number) =>
  (time: number): number | undefined =>
    (time - start) % step === offset ? value(time) : undefined;
const counter = (code: string, sums: Float64Array) => ({ labels: { job: 'myservice', code }, value: scrapedAt(0, cumulative(sums)) });
const history: History = {
  start,
  end,
  step: 1,
  families: [
    {
      name: 'http_request_duration_seconds_count',
      type: 'unknown',
      help: 'Requests, as a histogram counts them.',
      series: [counter('200', ok), counter('404', notFound), counter('429', errors429), counter('500', errors500)],
    },
    {
      name: 'unifipoller_client_satisfaction_ratio',
      type: 'gauge',
      help: 'Wifi client satisfaction.',
      series: Array.from({ length: 8 }, (_, client) => ({
        labels: { client: `c${client + 1}` },
        value: scrapedAt(7, (time) => satisfaction(client, time)),
      })),
    },
  ],
};

interface SlothRules {
  groups: { rules: { record?: string; expr: string; labels?: Record<string, string> }[] }[];
}

/** Sloth's rule for a window of one SLO, from its generated file. */
async function slothWindow(file: string, slo: string, window: Duration): Promise<string> {
  if (file === 'raw') return rawErrorRatio.replaceAll('{{.window}}', window);
  const rules = (parse(await readFile(path.join(fixtures, 'sloth-generated', file), 'utf8')) as SlothRules).groups.flatMap(
    (group) => group.rules,
  );
  return rules.find((rule) => rule.record === `slo:sli_error:ratio_rate${window}` && rule.labels?.sloth_slo === slo)!.expr;
}

/**
 * A raw SLI in the shape of Sloth's raw-home-wifi example (ours): the mean satisfaction. Sloth
 * records a raw SLI's window as the query with the window in it.
 */
const rawErrorRatio =
  '1 - (sum(sum_over_time(unifipoller_client_satisfaction_ratio[{{.window}}])) / sum(count_over_time(unifipoller_client_satisfaction_ratio[{{.window}}])))';
const rawSpec = `version: prometheus/v1
service: wifi-mean
slos:
  - name: client-satisfaction
    objective: 95
    sli:
      raw:
        error_ratio_query: '${rawErrorRatio}'
    alerting:
      page_alert: { disable: true }
      ticket_alert: { disable: true }
`;

const slos = [
  { file: 'getting-started.yml', sloth: 'requests-availability', service: 'myservice', slo: 'requests-availability' },
  { file: 'home-wifi.yml', sloth: 'good-wifi-client-satisfaction', service: 'home-wifi', slo: 'good-wifi-client-satisfaction' },
  { file: 'home-wifi.yml', sloth: 'risk-wifi-client-satisfaction', service: 'home-wifi', slo: 'risk-wifi-client-satisfaction' },
  { file: 'raw', sloth: 'client-satisfaction', service: 'wifi-mean', slo: 'client-satisfaction' },
];

describe('SLOs imported from Sloth, on the same series as Sloth’s own rules, in a real Prometheus', () => {
  let server: HistoryServer;
  let records: Located<RecordingRule>[];
  let cleanup: () => Promise<void>;
  let dir: string;

  beforeAll(async () => {
    const project = await initProject({
      'specs/getting-started.yml': path.join(fixtures, 'sloth/getting-started.yml'),
      'specs/home-wifi.yml': path.join(fixtures, 'sloth/home-wifi.yml'),
    });
    cleanup = project.cleanup;
    await writeFile(path.join(project.root, 'specs/raw.yml'), rawSpec);
    expect(
      await monforgeInProcess(project.root, 'import', 'specs/getting-started.yml', 'specs/home-wifi.yml', 'specs/raw.yml'),
    ).toMatchObject({
      code: 0,
    });
    expect(await monforgeInProcess(project.root, 'generate')).toMatchObject({ code: 0 });
    records = recordingRules(await readGeneratedDir(path.join(project.root, 'generated')));
    dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-sloth-equivalence-'));
    const samples = await backfillOpenMetrics(history, path.join(dir, 'data'), { workDir: path.join(dir, 'openmetrics') });
    await verifyBlocks(path.join(dir, 'data'), { samples, start, end });
    server = await startPrometheus({ dataDir: path.join(dir, 'data'), workDir: path.join(dir, 'work') });
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    await cleanup();
  });

  const value = async (expr: string, time = at): Promise<number> => (await server.query(expr, time)).result[0]?.value ?? Number.NaN;

  /** Monforge's recorded window as Prometheus evaluates the rule: its inputs inlined at their groups' intervals. */
  async function monforgeWindow(service: string, slo: string, window: Duration, time = at): Promise<number> {
    const rule = records.find(
      (each) =>
        each.rule.record === `slo:sli_error:ratio_rate${window}` && each.rule.labels.service === service && each.rule.labels.slo === slo,
    )!;
    const placeOf = (each: Located<Rule>) => ({
      interval: groupInterval(each.group, 60),
      group: each.file.groups.indexOf(each.group),
      rule: each.group.rules.indexOf(each.rule),
    });
    const inlined = await inlineRecordingRules(rule.rule.expr, recordingRulesByName(records, placeOf), async () => false, placeOf(rule));
    return value(inlined.query, time);
  }

  // Prometheus 2.x selects ranges with their left edge: a window rule evaluated with the
  // aggregates of its own group (every window up to 6h) sums W/interval + 1 of them, one more
  // than 3.x does. Off the evaluation grid (or on 3.x, or in the slow group, which runs apart from
  // the aggregates) it sums W/interval, and then it is exactly what Sloth's rate over W is.
  it.each(slos)('$service/$slo: every window within 0.1 % of Sloth’s', async ({ file, sloth, service, slo }) => {
    for (const window of windows) {
      const theirs = await value(await slothWindow(file, sloth, window), at + 30);
      const ours = await monforgeWindow(service, slo, window, at + 30);
      if (theirs === 0) expect(ours, `${window}: no bad event`).toBe(0);
      else expect(Math.abs(ours - theirs) / theirs, `${window}: monforge ${ours}, Sloth ${theirs}`).toBeLessThan(0.001);
    }
  });

  it.each(slos)(
    '$service/$slo: on the evaluation grid of Prometheus 2.x, one aggregate more: within 2 / (W / 1m) of Sloth’s',
    async ({ file, sloth, service, slo }) => {
      for (const window of windows) {
        const theirs = await value(await slothWindow(file, sloth, window), at);
        const ours = await monforgeWindow(service, slo, window, at);
        if (theirs === 0) expect(ours).toBe(0);
        // One aggregate of W/1m, and the rate's extrapolation at the burst's edges in it.
        else
          expect(Math.abs(ours - theirs) / theirs, `${window}: monforge ${ours}, Sloth ${theirs}`).toBeLessThan(
            (2 * minute) / seconds(window),
          );
      }
    },
  );

  it('the SLO window: monforge’s is the share of failed requests; Sloth’s mean of 5m ratios is not', async () => {
    const index = Math.floor((at - start) / minute);
    const failed = errors500[index]! + errors429[index]!;
    const truth = failed / (failed + ok[index]! + notFound[index]!);
    const ours = await monforgeWindow('myservice', 'requests-availability', '30d');
    expect(Math.abs(ours - truth) / truth, `monforge ${ours}, truth ${truth}`).toBeLessThan(0.001);
    // Sloth's 30d rule averages its recorded 5m ratios: the same, evaluated every minute here.
    const sloth5m = await slothWindow('getting-started.yml', 'requests-availability', '5m');
    const theirs = await value(`avg_over_time((${sloth5m})[${(at - start - 5 * minute) / minute}m:1m])`);
    // Bursts at night weigh ten times what their requests do: 1.4 times the truth here.
    expect(theirs / truth).toBeGreaterThan(1.3);
  });
});
