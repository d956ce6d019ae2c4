import { sliBadEventsRecord, sliErrorRecord, sliEventsRecord, sloRuleLabels, sloSelector } from '../../../derive/records.ts';
import { num } from '../../../derive/promtool-number.ts';
import { gaugeFraction, gaugeSamples, sliCounters, sliSeries, type SliCounter, type SliShare } from '../../../derive/test-series.ts';
import { seriesName } from '../../../derive/test-labels.ts';
import { burnAlertName, thresholdBucketMissingAlertName } from '../../../model/alert-names.ts';
import { burnThreshold, defaultTierFor, enabledTiers, tierWindows } from '../../../model/burn-rate.ts';
import { toNumber } from '../../../model/decimal.ts';
import { seconds } from '../../../model/duration.ts';
import type { TestSeries } from '../../../model/expr.ts';
import type { Service } from '../../../model/service.ts';
import type { BurnTier, Slo } from '../../../model/slo.ts';
import type { AlertingRule } from '../rules.ts';
import { bucketMissingFor } from '../slo.ts';
import { expectedAlert, expectedAlertNear } from './expect.ts';
import { minutes, type AlertTestCase, type ExpectedAlert, type ExprTestCase, type TestGroup } from './promtool.ts';
import { counterSeries, instances, unmeasuredLabels, unmeasuredSeries } from './slo-inputs.ts';
import { alertValues, firing, semantics, simulate, type SimCounter, type Simulation } from './slo-simulate.ts';
import { metadataChecks, simRules } from './slo-wiring.ts';

// A service's own SLO tests: what differs between services whose SLO rules share a shape (the
// shape's wiring tests, slo-wiring.ts, cover the windows over days). In one group of about a quarter
// of an hour per batch of SLOs:
// - every burn threshold occurrence at its boundary: the window series are written directly,
//   one alert instance per case (label `case`); each window of each pair just above its
//   threshold fires after `for` and not one evaluation earlier, just below it never fires,
//   while the other window of the pair burns and the other pair has no series;
// - the series the SLO reads: counters from two exporters that spell `le` differently burning
//   above every threshold, so each tier also fires from its own selectors (when the simulation
//   says), and a latency histogram whose third exporter has no bucket at the threshold (left
//   out, and its warning fires); a gauge SLO's gauges, a share of them past the bound (or
//   each at its share of good);
// - the metadata: objective, budget, period, history start, coverage, period burn rate and the
//   budget remaining over the history that exists.

/** Relative distance of the cases from their threshold: any mutant that scales one by more is caught. */
const boundary = 1e-6;
/** Events per minute and exporter; the unmeasured exporter serves half as many. */
const perMinute = 600;

const forMinutes = (slo: Slo, tier: BurnTier): number => Math.ceil(seconds(slo.tiers?.[tier]?.for ?? defaultTierFor[tier]) / 60);
const bucketMinutes = seconds(bucketMissingFor) / 60;

const labelText = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
    .join(', ')}}`;

const constant = (value: number, steps: number): string => `${num(value)}+0x${steps}`;

/** SLOs that read no metric in common, so one group's series feed each only its own. */
function batches(service: Service): { slo: Slo; counters: SliCounter[] }[][] {
  const found: { metrics: Set<string>; slos: { slo: Slo; counters: SliCounter[] }[] }[] = [];
  for (const slo of service.slos ?? []) {
    const counters = slo.kind === 'gauge' ? [] : sliCounters(service, slo);
    const metrics = slo.kind === 'gauge' ? [slo.gauge.metric.name] : counters.map((counter) => counter.name);
    let batch = found.find((each) => metrics.every((metric) => !each.metrics.has(metric)));
    if (!batch) {
      batch = { metrics: new Set(), slos: [] };
      found.push(batch);
    }
    for (const metric of metrics) batch.metrics.add(metric);
    batch.slos.push({ slo, counters });
  }
  return found.map((batch) => batch.slos);
}

/**
 * Half way between the highest threshold a ratio can reach and a total outage, so every tier
 * burns; for gauges past a bound, the simplest share of them above that threshold.
 *
 * A burn alert's annotations may print that ratio ($value). Half way may be a tie of their
 * format (0.875 with `%.2f`), where promtool's arithmetic, a hair off, could print either
 * neighbour: the ratio two thirds of the way is taken then (else 3/5, 4/7, 5/9: two formats may
 * tie at half way and two thirds both). A bounded gauge's share
 * needs no such care: it is a ratio of counts, which promtool computes exactly as here.
 */
function burningRatio(slo: Slo, printsStably: (ratio: number) => boolean): number {
  const thresholds = enabledTiers(slo).flatMap((tier) => tierWindows[tier].map((window) => toNumber(burnThreshold(slo, window))));
  const highest = Math.max(0, ...thresholds.filter((threshold) => threshold < 1));
  if (slo.kind === 'gauge' && slo.good !== 'value') return gaugeFraction(highest, 1) ?? 1;
  const halfWay = (1 + highest) / 2;
  return [halfWay, ...otherWays.map((share) => highest + (1 - highest) * share)].find(printsStably) ?? halfWay;
}

/** How far from the highest threshold to a total outage the SLO's own series burn when half way prints unstably: the first that prints stably. */
const otherWays = [2 / 3, 3 / 5, 4 / 7, 5 / 9];

/** Whether the SLO's ratio is a ratio of counts, which promtool computes exactly as the simulation does: a bounded gauge's. */
const exactRatio = (slo: Slo): boolean => slo.kind === 'gauge' && slo.good !== 'value';

interface Case {
  readonly tier: BurnTier;
  readonly name: string;
  readonly fires: boolean;
  readonly series: TestSeries[];
  /** The alert's $value: its pair's long window, as promtool reads the series. */
  readonly value: number;
}

/**
 * For each tier, pair and window of the pair: its ratio just above and just below the pair's
 * threshold while the pair's other window burns at twice the threshold; the other pair's
 * windows are absent, so only this pair can fire.
 */
function boundaryCases(service: Service, slo: Slo, steps: number): Case[] {
  const labels = sloRuleLabels(service, slo);
  const cases: Case[] = [];
  for (const tier of enabledTiers(slo)) {
    for (const pair of tierWindows[tier]) {
      const threshold = toNumber(burnThreshold(slo, pair));
      for (const tested of [pair.long, pair.short]) {
        for (const fires of [true, false]) {
          const name = `${tier} ${tested} just ${fires ? 'above' : 'below'} ${Number(threshold.toPrecision(6))}`;
          const value = (window: string): number => (window === tested ? threshold * (fires ? 1 + boundary : 1 - boundary) : 2 * threshold);
          cases.push({
            tier,
            name,
            fires,
            value: Number(num(value(pair.long))),
            series: [pair.long, pair.short].map((window) => ({
              series: seriesName(sliErrorRecord(window), { ...labels, case: name }),
              values: constant(value(window), steps),
            })),
          });
        }
      }
    }
  }
  return cases;
}

/** Per minute, what a counter of this share counts at error ratio `ratio`. */
const increment = (share: SliShare, ratio: number): number =>
  share === 'bad' ? ratio * perMinute : share === 'good' ? (1 - ratio) * perMinute : perMinute;

/** The raw series of one SLO burning from the start: as promtool reads them, and as the simulation does. */
function burningSeries(
  service: Service,
  slo: Slo,
  counters: readonly SliCounter[],
  end: number,
  ratio: number,
): { input: TestSeries[]; sim: SimCounter[] } {
  const minutes = Array.from({ length: end + 1 }, (_, minute) => minute);
  if (slo.kind === 'gauge')
    return {
      input: sliSeries(service, slo, ratio, end),
      sim: gaugeSamples(service, slo, ratio).map((sample) => ({
        values: minutes.map(() => sample.value),
        inTotal: true,
        inNumerator: false,
      })),
    };
  return {
    input: [
      ...counterSeries(counters, (counter) => `0+${num(increment(counter.share, ratio))}x${end}`),
      ...(slo.kind === 'latency' ? unmeasuredSeries(service, slo, `0+${perMinute / 2}x${end}`) : []),
    ],
    sim: counters.flatMap((counter) =>
      Array.from({ length: instances }, () => ({ ...counter, values: minutes.map((minute) => increment(counter.share, ratio) * minute) })),
    ),
  };
}

/** The raw series of one SLO burning from the start, and checks of its aggregates and metadata from simulating its rules on them. */
function seriesChecks(service: Service, slo: Slo, counters: readonly SliCounter[], end: number, ratio: number) {
  const { input, sim } = burningSeries(service, slo, counters, end, ratio);
  const sims = semantics.map((mode) => simulate(sim, { ...simRules(slo), evalMinutes: 1 }, mode));
  // Not the boundary cases' series, which share the SLO's labels and add `case`.
  const selector = sloSelector(service, slo).replace(/\}$/, ',case=""}');
  const labels = sloRuleLabels(service, slo);
  const checks: ExprTestCase[] = [];
  const at = (sim: Simulation, minute: number): number => sim.times.indexOf(minute);
  const near = (expr: string, minute: number, read: (sim: Simulation, index: number) => number | undefined): void => {
    const all = sims.map((sim) => read(sim, at(sim, minute)));
    if (all.some((value) => value === undefined || !Number.isFinite(value)))
      throw new Error(`internal: ${expr} has no value at ${minute}m`);
    const value = all[0]!;
    const tolerance = Math.max(1e-12, Math.abs(value) * 1e-9, 2 * Math.max(...all.map((each) => Math.abs(each! - value))));
    checks.push({
      expr: `abs(${expr}${selector} - ${num(value)}) <= bool ${Number(tolerance.toPrecision(3))}`,
      eval_time: minutes(minute),
      exp_samples: [{ labels: labelText(labels), value: 1 }],
    });
  };
  // Once every counter has a sample 5m back, and at the end.
  for (const minute of [5, end]) {
    near(sliEventsRecord, minute, (sim, index) => sim.events[index]);
    near(sliBadEventsRecord, minute, (sim, index) => sim.bad[index]);
  }
  metadataChecks(service, slo, end, sims, near, checks);
  // When each tier fires from these series (only where both semantics agree), and its $value by each.
  const tierFiring = (tier: BurnTier): { firing: (boolean | undefined)[]; values: (minute: number) => number[] } => {
    const branches = tierWindows[tier].map((pair) => ({
      long: seconds(pair.long) / 60,
      short: seconds(pair.short) / 60,
      threshold: toNumber(burnThreshold(slo, pair)),
    }));
    const all = sims.map((sim) => firing(sim, branches, seconds(slo.tiers?.[tier]?.for ?? defaultTierFor[tier]) / 60));
    const values = sims.map((sim) => alertValues(sim, branches));
    return {
      firing: all[0]!.map((value, index) => (all.every((each) => each[index] === value) ? value : undefined)),
      values: (minute) => values.map((each, index) => each[at(sims[index]!, minute)] ?? Number.NaN),
    };
  };
  return { input, checks, tierFiring };
}

/** The SLO tests of a service: one group per batch of SLOs that read different metrics. */
export function sloTests(service: Service, slos: readonly Slo[], rules: readonly AlertingRule[]): TestGroup[] {
  return batches(service)
    .map((batch) => batch.filter(({ slo }) => slos.includes(slo)))
    .filter((batch) => batch.length > 0)
    .map((batch) => {
      const latency = batch.some(({ slo }) => slo.kind === 'latency');
      const longestFor = Math.max(...batch.flatMap(({ slo }) => enabledTiers(slo).map((tier) => forMinutes(slo, tier))));
      // A tier reading the slow group's windows turns active at 2m, one round after the first
      // aggregate; the latency warning at 1m, once its rate has two samples.
      const end = Math.max(6, longestFor + 2, latency ? 1 + bucketMinutes : 0);
      const input: TestSeries[] = [];
      const alerts: AlertTestCase[] = [];
      const values: ExprTestCase[] = [];
      for (const { slo, counters } of batch) {
        const labels = sloRuleLabels(service, slo);
        const burnRules = enabledTiers(slo).map((tier) => rules.find((each) => each.labels.slo === slo.name && each.labels.tier === tier)!);
        const printsStably = (ratio: number): boolean =>
          burnRules.every((rule) => expectedAlertNear(rule, labels, [ratio], { exact: false }) !== undefined);
        const series = seriesChecks(service, slo, counters, end, burningRatio(slo, printsStably));
        input.push(...series.input);
        values.push(...series.checks);
        const cases = boundaryCases(service, slo, end);
        input.push(...cases.flatMap((each) => each.series));
        const tiers = enabledTiers(slo).map((tier, index) => {
          const rule = burnRules[index]!;
          const boundaries = cases
            .filter((each) => each.tier === tier && each.fires)
            .map((each) => expectedAlert(rule, { ...labels, case: each.name }, each.value));
          const raw = series.tierFiring(tier);
          const onset = raw.firing.indexOf(true);
          const holds = forMinutes(slo, tier);
          /** Undefined where the semantics disagree on the raw series, or its annotations print $value near a rounding edge. */
          const firingAt = (minute: number): ExpectedAlert[] | undefined => {
            const fires = raw.firing[minute];
            if (fires === undefined) return undefined;
            const own = fires ? expectedAlertNear(rule, labels, raw.values(minute), { exact: exactRatio(slo) }) : undefined;
            return fires && !own ? undefined : [...(minute >= holds ? boundaries : []), ...(own ? [own] : [])];
          };
          return {
            alertname: burnAlertName(service.name, slo, tier),
            minutes: [holds - 1, holds, onset - 1, onset, end],
            firing: firingAt,
          };
        });
        // Tiers that share one alert name (`alertName`) are one name to promtool: each minute checked states both.
        for (const alertname of new Set(tiers.map((tier) => tier.alertname))) {
          const named = tiers.filter((tier) => tier.alertname === alertname);
          for (const minute of [...new Set(named.flatMap((tier) => tier.minutes))].sort((a, b) => a - b)) {
            const expected = named.map((tier) => (minute < 0 ? undefined : tier.firing(minute)));
            if (expected.every((each): each is ExpectedAlert[] => each !== undefined))
              alerts.push({ eval_time: minutes(minute), alertname, exp_alerts: expected.flat() });
          }
        }
        if (slo.kind === 'latency') {
          const rule = rules.find((each) => each.alert === thresholdBucketMissingAlertName(service.name, slo.name))!;
          const expected = [expectedAlert(rule, unmeasuredLabels(service, slo), perMinute / 2 / 60)];
          const alertname = rule.alert;
          alerts.push({ eval_time: minutes(bucketMinutes), alertname, exp_alerts: [] });
          alerts.push({ eval_time: minutes(1 + bucketMinutes), alertname, exp_alerts: expected });
        }
      }
      return {
        name: `SLOs ${batch.map(({ slo }) => slo.name).join(', ')}: every burn threshold at its boundary, the series read, metadata`,
        interval: '1m',
        input_series: input,
        alert_rule_test: alerts,
        promql_expr_test: values,
      } satisfies TestGroup;
    });
}
