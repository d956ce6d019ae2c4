import {
  historyStartRecord,
  periodCoverageRecord,
  sliBadEventsRecord,
  sliErrorRecord,
  sliEventsRecord,
  sloRuleLabels,
  sloSelector,
} from '../../../derive/records.ts';
import { sloSelectors } from '../../../derive/slo-series.ts';
import { num } from '../../../derive/promtool-number.ts';
import { gaugeSideValues, sliCounters, type CountedSlo, type SliCounter } from '../../../derive/test-series.ts';
import { labelsFor, seriesName } from '../../../derive/test-labels.ts';
import { errorBudget, sliWindows, sloWindow } from '../../../model/burn-rate.ts';
import { mul, rational, toDecimal, toNumber } from '../../../model/decimal.ts';
import { seconds, type Duration } from '../../../model/duration.ts';
import type { TestSeries } from '../../../model/expr.ts';
import type { Service } from '../../../model/service.ts';
import { gaugeBound, type GaugeBoundKind, type GaugeSlo, type Slo } from '../../../model/slo.ts';
import { aggregateWindow, gapBridge, isSlowWindow, sloGroupName, slowGroupName } from '../slo.ts';
import { shapeExemplar, shapeRuleFilePath, sloShape, type SloShape } from '../slo-shape.ts';
import type { ExprTestCase, TestGroup } from './promtool.ts';
import { counterSeries, instances, unmeasuredSeries } from './slo-inputs.ts';
import { semantics, simulate, type BadFrom, type SimCounter, type SimRules, type Simulation } from './slo-simulate.ts';
import { counterValues, requestsAt, errorRatioAt, seriesNotation, type Timeline } from './slo-timeline.ts';
import type { PromtoolTestFile } from './test-file.ts';

// Wiring tests of an SLO shape (slo-shape.ts): the exemplar's recording rules over traffic in
// which every window, the gap bridge and the fallbacks decide a value, so a rule reading the
// wrong window or series, or dropping a fallback or the bridge, fails them. Two files, each with
// series steps that fit the windows it tests:
// - from raw counters, evaluated every 5m over nine and a half hours: errors that start late (0
//   before, not absent), a 20-minute scrape gap at 50 % errors and a one-hour gap at 20 % (the
//   counters keep counting through both), an idle period, a restart, the morning's tenfold
//   traffic; the windows up to 6h, the gaps against raw increase(), the aggregates, the budget
//   over the history that exists (a gauge shape: four gauges with a changing share of bad
//   samples and two scrape gaps);
// - from the aggregates written directly once an hour over three and a half days (a quiet
//   weekend day, idle hours, errors by night): the windows of a day and more, evaluated hourly.
// Expected values come from simulating the rules (slo-simulate.ts) under 2.x and 3.x sample
// selection; only what both agree on is asserted.

/** The raw tests evaluate every 5m: the aggregates' window, so every event is counted once. */
const wiringEvaluationInterval: Duration = aggregateWindow;
const evalMinutes = seconds(wiringEvaluationInterval) / 60;
const hour = 60;
const minutesOf = (window: Duration): number => seconds(window) / 60;

/** Whether a gauge's sample meets a bound. */
const meets: Record<GaugeBoundKind, (value: number, bound: number) => boolean> = {
  below: (value, bound) => value < bound,
  atMost: (value, bound) => value <= bound,
  above: (value, bound) => value > bound,
  atLeast: (value, bound) => value >= bound,
};

/** How the SLO's aggregates count bad events, for the simulation. */
function badFrom(slo: Slo): BadFrom {
  if (slo.kind === 'gauge') {
    if (slo.good === 'value') return 'value';
    const bound = gaugeBound(slo.good);
    return { isGood: (value) => meets[bound.kind](value, bound.value) };
  }
  return slo.kind === 'latency' ? 'fast' : slo.errors ? 'errors' : 'good';
}

export function simRules(slo: Slo): SimRules {
  return {
    badFrom: badFrom(slo),
    evalMinutes,
    aggregateMinutes: minutesOf(aggregateWindow),
    bridgeMinutes: minutesOf(gapBridge),
    isSlow: (minutes) => isSlowWindow(`${minutes}m`),
  };
}

const labelText = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
    .join(', ')}}`;

/** The checks must tell each window from its neighbours somewhere, or a rule reading the wrong one would pass. */
function assertDistinguished(
  windows: readonly Duration[],
  read: (window: Duration) => readonly (number | undefined)[],
  what: string,
): void {
  windows.forEach((window, index) => {
    for (const other of [windows[index - 1], windows[index + 1]]) {
      if (other === undefined) continue;
      const ours = read(window);
      const theirs = read(other);
      const apart = ours.some(
        (value, at) => value !== undefined && theirs[at] !== undefined && Math.abs(value - theirs[at]!) > 1e-6 * Math.abs(value),
      );
      if (!apart) throw new Error(`internal: the ${what} wiring tests cannot tell ${window} from ${other}`);
    }
  });
}

interface Gap {
  readonly from: number;
  readonly to: number;
  readonly errorRatio: number;
}

/**
 * Nine and a half hours from midnight: errors from 1:00, a 20-minute scrape gap at 50 % errors
 * at 2:00 (the example of issue 25: every window of 30m or more must count it), a rise at 3:00,
 * no request at all 4:00–4:45, a restart of the first exporter at 5:00, an hour-long gap at 20 %
 * errors at 6:00, day traffic from 8:00 and a burn from 8:30.
 */
function rawTimeline(budget: number): { timeline: Timeline; gaps: Gap[] } {
  const gaps: Gap[] = [
    { from: 2 * hour, to: 2 * hour + 20, errorRatio: 0.5 },
    { from: 6 * hour, to: 7 * hour, errorRatio: 0.2 },
  ];
  const timeline: Timeline = {
    minutes: 9 * hour + 30,
    phases: [
      { from: hour, errorRatio: budget },
      { from: gaps[0]!.from, errorRatio: gaps[0]!.errorRatio },
      { from: gaps[0]!.to, errorRatio: budget },
      { from: 3 * hour, errorRatio: 4 * budget },
      { from: 5 * hour + 30, errorRatio: 2 * budget },
      { from: gaps[1]!.from, errorRatio: gaps[1]!.errorRatio },
      { from: gaps[1]!.to, errorRatio: 3 * budget },
      { from: 8 * hour + 30, errorRatio: 8 * budget },
    ],
    weekend: [],
    idle: [[4 * hour, 4 * hour + 45]],
    gaps: gaps.map((gap) => [gap.from, gap.to] as const),
    restarts: [5 * hour],
  };
  return { timeline, gaps };
}

/** Bad events of the raw series over a window, from increase(): what issue 25 compares the aggregates with. */
function rawBadEvents(service: Service, slo: CountedSlo, window: string): string {
  const selectors = sloSelectors(service, slo);
  const increase = (selector: string): string => `increase(${selector}[${window}])`;
  if (selectors.bucket)
    return `sum(${increase(selectors.total)} and ignoring(le) ${increase(selectors.bucket)}) - sum(${increase(selectors.bucket)})`;
  if (selectors.errors) return `sum(${increase(selectors.errors)})`;
  return `sum(${increase(selectors.total)}) - sum(${increase(selectors.good!)})`;
}

/**
 * The metadata at `end`: the constants, the current burn rate, the history start (the SLO
 * window's first value, which the slow group records one round after the first aggregate), the
 * coverage it gives, the period's burn rate and the budget remaining over the history.
 */
export function metadataChecks(
  service: Service,
  slo: Slo,
  end: number,
  sims: readonly Simulation[],
  assert: (expr: string, minute: number, read: (sim: Simulation, index: number) => number | undefined) => void,
  checks: ExprTestCase[],
): void {
  const [simulated] = sims as [Simulation, ...Simulation[]];
  const window = minutesOf(sloWindow(slo));
  const first = simulated.ratio(window).findIndex((value) => value !== undefined);
  const start = simulated.times[first]! * 60;
  const labels = labelText(sloRuleLabels(service, slo));
  const budget = toNumber(errorBudget(slo));
  const exact = (record: string, value: number): void =>
    void checks.push({
      expr: `${record}${sloSelector(service, slo)}`,
      eval_time: `${end}m`,
      exp_samples: [{ labels: `${record}${labels}`, value }],
    });
  exact('slo:objective:ratio', Number(toDecimal(mul(rational(slo.objective), rational('0.01')))));
  exact('slo:error_budget:ratio', budget);
  exact('slo:time_period:days', seconds(sloWindow(slo)) / 86400);
  exact(historyStartRecord, start);
  const coverage = (end * 60 - start) / seconds(sloWindow(slo));
  assert('slo:current_burn_rate:ratio', end, (sim, index) => {
    const ratio = sim.ratio(minutesOf(aggregateWindow))[index];
    return ratio === undefined ? undefined : ratio / budget;
  });
  assert(periodCoverageRecord, end, () => coverage);
  assert('slo:period_burn_rate:ratio', end, (sim, index) => {
    const ratio = sim.ratio(window)[index];
    return ratio === undefined ? undefined : ratio / budget;
  });
  assert('slo:period_error_budget_remaining:ratio', end, (sim, index) => {
    const ratio = sim.ratio(window)[index];
    return ratio === undefined ? undefined : 1 - (ratio / budget) * coverage;
  });
}

/** A raw group's input: the series as promtool reads them and as the simulation does, and what only it checks. */
interface RawInput {
  readonly input: TestSeries[];
  readonly series: SimCounter[];
  readonly minutes: number;
  /** When the aggregates are checked: after each fault the input has. */
  readonly aggregateMinutes: readonly number[];
  readonly extraChecks: ExprTestCase[];
  /**
   * Counters are checked only where 2.x and 3.x agree. A gauge's subquery counts its left edge in
   * 2.x, so every aggregate differs a little: checked within twice the spread where it is small.
   */
  readonly spreadTolerated: boolean;
}

/**
 * Counters over nine and a half hours (rawTimeline): the aggregates before any error series (0,
 * not absent), after the gaps, the idle period, the restart and the traffic's rise; and the
 * errors of each gap in every window at least as long as the gap, within 5 % of raw increase()
 * over the window, or over the gap and the 5 minutes the aggregates take to count it where the
 * window is shorter than that. Compared as bad events (the aggregates summed over the window,
 * times the evaluation interval): the ratio also counts the window's left edge, which 2.x
 * includes, a whole evaluation interval of traffic at this test's 5m.
 */
function counterInput(service: Service, slo: CountedSlo): RawInput {
  const { timeline, gaps } = rawTimeline(toNumber(errorBudget(slo)));
  const counters = sliCounters(service, slo);
  const selector = sloSelector(service, slo);
  const extraChecks: ExprTestCase[] = [];
  for (const gap of gaps) {
    const minute = gap.to + minutesOf(aggregateWindow);
    for (const window of sliWindows(slo).filter(
      (each) => minutesOf(each) >= gap.to - gap.from && !isSlowWindow(each) && each !== aggregateWindow,
    )) {
      const raw = `${Math.max(minutesOf(window), minute - gap.from + 2)}m`;
      extraChecks.push({
        expr: `abs(sum_over_time(${sliBadEventsRecord}${selector}[${window}]) * ${evalMinutes * 60} / on() (${rawBadEvents(service, slo, raw)}) - 1) < bool 0.05`,
        eval_time: `${minute}m`,
        exp_samples: [{ labels: '{}', value: 1 }],
      });
    }
  }
  return {
    input: [
      ...counterSeries(counters, (counter: SliCounter, instance: number) =>
        seriesNotation(counterValues(timeline, counter.share, instance)),
      ),
      ...(slo.kind === 'latency' ? unmeasuredSeries(service, slo, seriesNotation(counterValues(timeline, 'all', instances))) : []),
    ],
    series: counters.flatMap((counter) =>
      Array.from({ length: instances }, (_, instance) => ({ ...counter, values: counterValues(timeline, counter.share, instance) })),
    ),
    minutes: timeline.minutes,
    aggregateMinutes: [55, ...gaps.map((gap) => gap.to + minutesOf(aggregateWindow)), 4 * hour + 50, 5 * hour + 5, 8 * hour + 5],
    extraChecks,
    spreadTolerated: false,
  };
}

/** The largest difference between 2.x and 3.x, relative to the value, that a gauge's check tolerates. */
const maxSpread = 0.05;

/** Gauges of the raw group, each sampled every minute. */
const gaugeCount = 4;

/**
 * Four gauges over nine and a half hours: none bad until 1:00, then one, no sample of any
 * 2:00–2:20 (a failed scrape) and 4:00–4:45 (the targets gone), two from 3:00, one from 5:30
 * and three from 8:30. Bad is a sample past the bound, or, for an SLO of the values themselves,
 * every gauge at the share of bad ones below 1.
 */
function gaugeInput(service: Service, slo: GaugeSlo): RawInput {
  const minutes = 9 * hour + 30;
  const phases = [
    { from: hour, bad: 1 },
    { from: 3 * hour, bad: 2 },
    { from: 5 * hour + 30, bad: 1 },
    { from: 8 * hour + 30, bad: 3 },
  ];
  const gaps: [number, number][] = [
    [2 * hour, 2 * hour + 20],
    [4 * hour, 4 * hour + 45],
  ];
  const badAt = (minute: number): number => phases.filter((phase) => phase.from <= minute).at(-1)?.bad ?? 0;
  const sides = slo.good === 'value' ? undefined : gaugeSideValues(slo.good);
  const sampleOf = (index: number, minute: number): number | undefined => {
    if (gaps.some(([from, to]) => minute >= from && minute < to)) return undefined;
    const bad = badAt(minute);
    if (!sides) return 1 - bad / gaugeCount;
    return index < bad ? sides.failing : sides.good;
  };
  const labels = labelsFor(service, slo.gauge, {});
  const series = Array.from({ length: gaugeCount }, (_, index) => ({
    labels: { ...labels, instance: `gauge-${index + 1}` },
    values: Array.from({ length: minutes + 1 }, (_, minute) => sampleOf(index, minute)),
  }));
  return {
    input: series.map((each) => ({ series: seriesName(slo.gauge.metric.name, each.labels), values: seriesNotation(each.values) })),
    series: series.map((each) => ({ values: each.values, inTotal: true, inNumerator: false })),
    minutes,
    aggregateMinutes: [55, ...gaps.map(([, to]) => to + minutesOf(aggregateWindow)), 5 * hour + 35, 8 * hour + 35],
    extraChecks: [],
    spreadTolerated: true,
  };
}

/** The raw group: windows up to the SLO window at checkpoints, the aggregates after each fault, the metadata. */
function rawGroup(slo: Slo): TestGroup {
  const { service } = shapeExemplar(sloShape(slo));
  const raw = slo.kind === 'gauge' ? gaugeInput(service, slo) : counterInput(service, slo);
  const sims = semantics.map((mode) => simulate(raw.series, simRules(slo), mode));
  const [exact] = sims as [Simulation, ...Simulation[]];
  const selector = sloSelector(service, slo);
  const labels = labelText(sloRuleLabels(service, slo));
  const at = (minute: number): number => exact.times.indexOf(minute);
  const checks: ExprTestCase[] = [];
  const assert = (expr: string, minute: number, read: (sim: Simulation, index: number) => number | undefined): void => {
    const all = sims.map((sim) => read(sim, at(minute)));
    if (all.some((value) => value === undefined || !Number.isFinite(value))) return;
    const value = all[0]!;
    const spread = Math.max(...all.map((each) => Math.abs(each! - value)));
    // Counters only where 2.x and 3.x agree: a window whose left edge falls in an idle period or a gap.
    if (spread > Math.abs(value) * (raw.spreadTolerated ? maxSpread : 1e-9)) return;
    const tolerance = Math.max(1e-12, Math.abs(value) * 1e-9, raw.spreadTolerated ? 2 * spread : 0);
    checks.push({
      expr: `abs(${expr}${selector} - ${num(value)}) <= bool ${Number((tolerance * 1.05).toPrecision(3))}`,
      eval_time: `${minute}m`,
      exp_samples: [{ labels, value: 1 }],
    });
  };
  for (const minute of raw.aggregateMinutes) {
    assert(sliEventsRecord, minute, (sim, index) => sim.events[index]);
    assert(sliBadEventsRecord, minute, (sim, index) => sim.bad[index]);
  }
  // Every window every quarter of an hour where 2.x and 3.x agree, which each window's left
  // edge in an idle period or a gap makes happen.
  for (let minute = 15; minute <= raw.minutes; minute += 15)
    for (const window of sliWindows(slo)) assert(sliErrorRecord(window), minute, (sim, index) => sim.ratio(minutesOf(window))[index]);
  checks.push(...raw.extraChecks);
  metadataChecks(service, slo, raw.minutes, sims, assert, checks);
  return {
    name: `raw series: windows, ${slo.kind === 'gauge' ? 'scrape gaps' : 'scrape gaps, restart, idle'}, budget over the history that exists`,
    interval: '1m',
    input_series: raw.input,
    alert_rule_test: [],
    promql_expr_test: checks,
  };
}

/**
 * Three and a half days of aggregates, one sample an hour at half past (never on a window's
 * edge, where 2.x and 3.x differ): errors the first half day that only the SLO window keeps,
 * a quiet weekend day with idle hours, errors by night, and a burn on the last afternoon.
 */
function daysGroup(slo: Slo): TestGroup {
  const { service } = shapeExemplar(sloShape(slo));
  const budget = toNumber(errorBudget(slo));
  const day = 24 * hour;
  const hours = 3 * 24 + 14;
  const timeline: Timeline = {
    minutes: hours * hour,
    phases: [
      { from: 0, errorRatio: 3 * budget },
      { from: 12 * hour, errorRatio: budget / 2 },
      { from: day + 20 * hour, errorRatio: 5 * budget },
      { from: 2 * day + 6 * hour, errorRatio: budget },
      { from: 3 * day + 12 * hour, errorRatio: 10 * budget },
    ],
    weekend: [1],
    idle: [[day + 2 * hour, day + 5 * hour]],
    gaps: [],
    restarts: [],
  };
  // Events and bad events per second in the hour before each sample.
  const samples = Array.from({ length: hours }, (_, index) => {
    const minute = index * hour + 30;
    const events = (requestsAt(timeline, minute) * instances) / 60;
    return { minute, events, bad: events * errorRatioAt(timeline, minute) };
  });
  const ratioAt = (window: Duration, end: number): number | undefined => {
    const inside = samples.filter((sample) => sample.minute > end - minutesOf(window) && sample.minute < end);
    const events = inside.reduce((sum, sample) => sum + sample.events, 0);
    return events > 0 ? inside.reduce((sum, sample) => sum + sample.bad, 0) / events : undefined;
  };
  const windows = sliWindows(slo).filter((window) => minutesOf(window) >= hour);
  const checkpoints = Array.from({ length: Math.floor((hours - 24) / 6) + 1 }, (_, index) => (24 + index * 6) * hour);
  assertDistinguished(
    windows.filter((window) => minutesOf(window) >= 6 * hour),
    (window) => checkpoints.map((end) => ratioAt(window, end)),
    'days',
  );
  const selector = sloSelector(service, slo);
  const labels = labelText(sloRuleLabels(service, slo));
  const notation = (value: (sample: (typeof samples)[number]) => number): string =>
    samples.map((sample) => `_ ${num(value(sample))}`).join(' ');
  return {
    name: 'aggregates over days: the windows of a day and more',
    interval: '30m',
    input_series: [
      { series: seriesName(sliEventsRecord, sloRuleLabels(service, slo)), values: notation((sample) => sample.events) },
      { series: seriesName(sliBadEventsRecord, sloRuleLabels(service, slo)), values: notation((sample) => sample.bad) },
    ],
    alert_rule_test: [],
    promql_expr_test: checkpoints.flatMap((end) =>
      windows.flatMap((window) => {
        const value = ratioAt(window, end);
        return value === undefined
          ? []
          : [
              {
                expr: `abs(${sliErrorRecord(window)}${selector} - ${num(value)}) <= bool ${Number(Math.max(1e-12, Math.abs(value) * 1e-9).toPrecision(3))}`,
                eval_time: `${end / hour}h`,
                exp_samples: [{ labels, value: 1 }],
              },
            ];
      }),
    ),
  };
}

/** The wiring test files of a shape, by path: raw series every 5m, aggregates over days every hour. */
export function shapeTestFiles(shape: SloShape, paths: { raw: string; days: string }): [string, PromtoolTestFile][] {
  const { service, slo } = shapeExemplar(shape);
  // promtool resolves rule files relative to the test file, two folders down in tests/slo-shapes/.
  const ruleFiles = [`../../${shapeRuleFilePath(shape).replace('prometheus/', '')}`];
  const order = [slowGroupName(service, slo), sloGroupName(service, slo)];
  return [
    [paths.raw, { rule_files: ruleFiles, evaluation_interval: wiringEvaluationInterval, group_eval_order: order, tests: [rawGroup(slo)] }],
    [paths.days, { rule_files: ruleFiles, evaluation_interval: '1h', group_eval_order: order, tests: [daysGroup(slo)] }],
  ];
}
