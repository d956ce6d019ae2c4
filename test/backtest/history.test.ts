import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTime } from '../../src/backtest/time.ts';
import { loadPlatform } from '../../src/load/load.ts';
import type { ServedHistory } from '../../scripts/backtest/serve.ts';
import { serveExampleHistory } from '../../scripts/backtest/serve.ts';
import { backtestOptions, runBacktest } from '../../src/run/backtest.ts';
import { fixtureRoot, repoRoot } from '../helpers/index.ts';

// Three days of the example history (api, assistant, database; one sample every 10 s; the
// incidents of scripts/backtest/example-history.ts) backfilled into a real Prometheus, replayed
// by the `backtest` command with the pinned rules of test/fixtures/backtest/rules.yml. Every
// expected time below is worked out by hand from the faults, the rules and PromQL's semantics
// (a sample at t counts the requests of (t − 10 s, t]; the 2.x range [t − r, t] holds r/10
// intervals; the demo observes 10 latencies per interval at 0.010 … 0.019 s, +0.6 s in a spike).

const S = Date.UTC(2026, 0, 1) / 1000;
const h = 3600;
const d = 24 * h;

describe('backtest of the example history on a real Prometheus', () => {
  let dir: string;
  let served: ServedHistory;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-history-'));
    served = await serveExampleHistory(await loadPlatform(repoRoot), dir, {
      start: S,
      days: 3,
      services: ['api', 'assistant', 'database'],
    });
  }, 300_000);
  afterAll(async () => {
    await served?.server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('episodes, counts and the four measures of every labelled incident', async () => {
    // The command as `npx monforge backtest` runs it, in this process.
    const run = async (format: string, tty = false) => {
      const options = backtestOptions(
        {
          prometheus: served.server.url,
          from: formatTime(S),
          to: formatTime(S + 3 * d),
          rules: fixtureRoot('backtest'),
          incidents: served.incidentsFile,
          format,
        },
        repoRoot,
      );
      if (typeof options === 'string') throw new Error(options);
      let out = '';
      let err = '';
      const code = await runBacktest(repoRoot, options, {
        out: (text) => {
          out += text;
        },
        err: (text) => {
          err += text;
        },
        tty,
      });
      return { code, stdout: out, stderr: err };
    };
    const outcome = await run('json');
    const report = JSON.parse(outcome.stdout) as {
      head: {
        alerts: {
          alert: string;
          severity: string;
          count: number;
          flapping: number;
          episodes: { start: string; end: string | null }[];
          recordedSeries: { selector: string; how: string }[];
        }[];
        incidents: {
          overall: Record<string, number>;
          outcomes: { name: string; detectedBy?: string; detection?: number; reset?: number; quiet?: { fired: string[] } }[];
        };
      };
    };
    const episodes = (alert: string, severity: string) =>
      report.head.alerts.find((row) => row.alert === alert && row.severity === severity)!.episodes.map((each) => [each.start, each.end]);
    const span = (from: number, to: number) => [formatTime(from), formatTime(to)];

    // Total outage from 1d10h + 5 s: the first `up` 0 is scraped at +10 s and seen by the 10 s
    // group at once; up again at +610 s, kept firing 2 minutes (keep_firing_for) → +730 s.
    const outage = S + d + 10 * h;
    // Flapping: 100 % errors in the intervals ending at F + 120k and F + 120k + 10 (k = 0 … 29);
    // irate sees each at once, keep_firing_for bridges the 100 s gaps; the last burst ends at
    // F + 3490, so the alert resolves at F + 3500 + 120.
    const flapping = S + 2 * d + 10 * h;
    expect(episodes('ApiDown', 'critical')).toStrictEqual([span(outage + 10, outage + 730), span(flapping, flapping + 3620)]);
    // Over 5 minutes (30 intervals) at least one 100 % burst: > 0.5 % from F; for 3m → F + 180;
    // no burst in the window from F + 3840 (the last bad interval ends at F + 3490).
    for (const severity of ['critical', 'warning'])
      expect(episodes('ApiErrorRateHigh', severity)).toStrictEqual([span(flapping + 180, flapping + 3840)]);
    // Latency spike from 1d15h: the 2m average passes 0.3 s with 6 of 12 intervals spiked
    // (0.6 n + 0.174 > 3.6) at L + 50, i.e. the evaluation at L + 60; for 2m → L + 180. Below
    // again with 5 of 12 left: at L + 1260.
    const spike = S + d + 15 * h;
    expect(episodes('ApiLatencySpike', 'warning')).toStrictEqual([span(spike + 180, spike + 1260)]);
    // Memory at 92 % from 2d3h for 30 minutes: pending at once, firing 2 minutes later, both levels.
    const memory = S + 2 * d + 3 * h;
    for (const severity of ['critical', 'warning'])
      expect(episodes('DatabaseMemoryHigh', severity)).toStrictEqual([span(memory + 120, memory + 1800)]);
    // Quiet nights at 900 req/s (< 1000): the 5m rate is under 1000 with 21 of 30 intervals at
    // night (00:04), firing after 10m (00:14); the first night's rate is extrapolated from the
    // series' start and already low at 00:01 (→ 00:11). Over 1000 again at 06:02.
    expect(episodes('ApiThroughputLow', 'warning')).toStrictEqual([
      span(S + 660, S + 6 * h + 120),
      span(S + d + 840, S + d + 6 * h + 120),
      span(S + 2 * d + 840, S + 2 * d + 6 * h + 120),
    ]);
    // Slow burn at 1.5 % from the start: both windows over 1 % at the first evaluation with two
    // samples (00:01), for 15m → 00:16. The 6h ratio falls to 1 % when 4 of its 6 hours are
    // burn-free: 2 hours after the burn ends (1,439 of 2,160 intervals: 0.9993 %).
    expect(episodes('AssistantAvailabilityBudgetBurnTicket', 'warning')).toStrictEqual([span(S + 960, S + 36 * h + 2 * h)]);
    // The minimum of the last 30 minutes of that 6h ratio (a subquery at 1m: the server holds no
    // recorded series) is over 1 % from the first evaluation with a value until the 6h ratio falls.
    expect(episodes('AssistantBurnSustained', 'info')).toStrictEqual([span(S + 60, S + 36 * h + 2 * h)]);
    expect(report.head.alerts.find((row) => row.alert === 'AssistantBurnSustained')!.recordedSeries).toStrictEqual([
      { selector: 'slo:sli_error:ratio_rate6h{service="assistant",slo="availability"}[30m]', how: 'subquery' },
    ]);

    const outcomes = Object.fromEntries(report.head.incidents.outcomes.map((each) => [each.name.replace(/ \(.*$/, ''), each]));
    expect(outcomes['total outage']).toMatchObject({ detectedBy: 'ApiDown', detection: 5, reset: 125 });
    expect(outcomes['latency spike']).toMatchObject({ detectedBy: 'ApiLatencySpike', detection: 180, reset: 60 });
    expect(outcomes['memory pressure']).toMatchObject({ detectedBy: 'DatabaseMemoryHigh', detection: 120, reset: 0 });
    expect(outcomes['flapping errors']).toMatchObject({ detectedBy: 'ApiDown', detection: 0, reset: 240 });
    expect(outcomes['slow burn']).toMatchObject({ detectedBy: 'AssistantAvailabilityBudgetBurnTicket', detection: 960, reset: 7200 });
    for (const night of ['quiet night 1', 'quiet night 2', 'quiet night 3'])
      expect(outcomes[night]!.quiet).toStrictEqual({ fired: ['ApiThroughputLow'] });
    // 5 of 5 incidents caught; 12 episodes, the 3 quiet-night ones false positives.
    expect(report.head.incidents.overall).toMatchObject({ incidents: 5, caught: 5, episodes: 12, matching: 9, maxDetection: 960 });
    expect(report.head.alerts.find((row) => row.alert === 'ApiDown')).toMatchObject({ count: 2, flapping: 0 });

    // The same figures as a terminal table, with a progress bar on stderr (a terminal).
    const text = await run('text', true);
    expect(text.stderr).toMatch(/\r\[#{30}\] 100 % {2}[\d,]+\/[\d,]+ evaluations\n$/);
    expect(text.stdout).toContain(
      'overall: recall 5/5 (100 %), precision 9/12 (75 %), false positives 25 %, detection mean 4m13s (max 16m), reset mean 25m25s',
    );
    expect(text.stdout).toContain('  total outage (api down 10 min): caught by ApiDown after 5s, all resolved 2m5s after its end');
    expect(text.stdout).toContain('  quiet night 2 (api traffic at 75 %): no alert expected; fired: ApiThroughputLow');
    expect(text.stdout).toMatch(/^ApiDown +critical +10s +2 +1h12m +1h +0$/m);
    expect(text.stdout).toContain('1 recomputed with a subquery');
    expect(text.stdout).toContain('notifications: no alertmanager.yml in the generated tree');
  }, 120_000);
});
