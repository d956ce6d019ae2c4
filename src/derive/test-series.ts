import type { BaselineExpr, PromqlExpr, TestSeries, ThresholdExpr } from '../model/expr.ts';
import type { Histogram } from '../model/metric.ts';
import { resultLabels } from '../model/result-labels.ts';
import type { Selector } from '../model/selector.ts';
import type { Service } from '../model/service.ts';
import { boundOperators, gaugeBound, type GaugeBound, type GaugeSlo, type Slo } from '../model/slo.ts';
import { goFloat } from '../promql/numbers.ts';
import { num } from './promtool-number.ts';
import { labelsFor, labelsRejectedBy, seriesName, selects, type LabelSet } from './test-labels.ts';
import { baselinePast, baselineSeries, forecastSeries } from './trend-series.ts';

// Input series whose expression value is a chosen constant. Counters start at 0 and grow
// linearly, so every rate has the same shape and every ratio of rates is the target from the
// second sample on; plain rates reach the target once the rate window is full.

/** Events per minute behind every rate. */
const perMinute = 600;

export { num };

const counter = (name: string, labels: LabelSet, increment: number, steps: number): TestSeries => ({
  series: seriesName(name, labels),
  values: `0+${num(increment)}x${steps}`,
});
const gaugeSeries = (name: string, labels: LabelSet, value: number, steps: number): TestSeries => ({
  series: seriesName(name, labels),
  values: `${num(value)}+0x${steps}`,
});

export interface Synthesized {
  readonly series: TestSeries[];
  /** Labels of the expression's result series. */
  readonly labels: LabelSet;
}

function byDefaults(by: readonly string[]): LabelSet {
  return Object.fromEntries(by.map((label) => [label, 'test']));
}

function pick(labels: LabelSet, names: readonly string[]): LabelSet {
  return Object.fromEntries(names.map((name) => [name, labels[name] ?? '']));
}

/** What a synthetic counter of a ratio counts: the numerator's events, the rest of the denominator's, or all of them. */
export type CounterShare = 'part' | 'rest' | 'whole';

export interface RatioCounter {
  readonly name: string;
  readonly labels: LabelSet;
  readonly share: CounterShare;
}

/**
 * The counters behind rate(numerator) / rate(denominator): a numerator series and, when both
 * select the same metric, one series that only the denominator selects; else a denominator series.
 */
export function ratioCounters(service: Service, numerator: Selector, denominator: Selector, base: LabelSet): RatioCounter[] {
  const numeratorLabels = labelsFor(service, numerator, base);
  const sameMetric = numerator.metric.name === denominator.metric.name;
  if (sameMetric && selects(service, denominator, numeratorLabels)) {
    // errors ⊂ total: one series of bad events, one of the rest that only the total selects.
    const rest = labelsRejectedBy(service, numeratorLabels, numerator, denominator);
    if (!rest) {
      throw new Error(`cannot build test series for ${numerator.metric.name}: no series is selected by the total but not by the errors`);
    }
    return [
      { name: numerator.metric.name, labels: numeratorLabels, share: 'part' },
      { name: numerator.metric.name, labels: rest, share: 'rest' },
    ];
  }
  const denominatorLabels = labelsFor(service, denominator, base);
  if (sameMetric && (selects(service, numerator, denominatorLabels) || !selects(service, denominator, denominatorLabels))) {
    throw new Error(`cannot build test series for ${numerator.metric.name}: the numerator is not a subset of the denominator`);
  }
  return [
    { name: numerator.metric.name, labels: numeratorLabels, share: 'part' },
    { name: denominator.metric.name, labels: denominatorLabels, share: 'whole' },
  ];
}

/** Counters where rate(numerator) / rate(denominator) = fraction. */
export function ratioSeries(
  service: Service,
  numerator: Selector,
  denominator: Selector,
  fraction: number,
  base: LabelSet,
  steps: number,
): TestSeries[] {
  const increment: Record<CounterShare, number> = { part: fraction * perMinute, rest: (1 - fraction) * perMinute, whole: perMinute };
  return ratioCounters(service, numerator, denominator, base).map((each) => counter(each.name, each.labels, increment[each.share], steps));
}

/**
 * Buckets whose histogram_quantile(q) is `target`: every observation at or below the bucket
 * holding the target, split so that linear interpolation lands exactly on it.
 */
export function quantileSeries(
  service: Service,
  selector: Selector<Histogram>,
  q: number,
  target: number,
  base: LabelSet,
  steps: number,
): TestSeries[] {
  const { buckets, name } = selector.metric;
  const index = buckets.findIndex((bucket) => target <= bucket);
  if (index < 0) throw new Error(`${name}: ${target} is above the largest bucket, histogram_quantile can never return it`);
  const lower = index === 0 ? 0 : buckets[index - 1]!;
  const position = (target - lower) / (buckets[index]! - lower);
  // below: share of observations in the bucket under the target's; upTo: share at or below its bucket.
  let below = 0;
  let upTo = 1;
  if (position <= q && index > 0) below = (q - position) / (1 - position);
  else upTo = q / position;
  if (upTo > 1 || (index === 0 && position < q))
    throw new Error(`${name}: cannot place the ${q} quantile at ${target} (needs ${q * buckets[0]!} ≤ value)`);
  const labels = labelsFor(service, selector, base);
  const bucketShare = (at: number): number => (at < index - 1 ? 0 : at === index - 1 ? below : upTo);
  return [
    ...buckets.map((bucket, at) => counter(`${name}_bucket`, { ...labels, le: String(bucket) }, bucketShare(at) * perMinute, steps)),
    counter(`${name}_bucket`, { ...labels, le: '+Inf' }, perMinute, steps),
    counter(`${name}_count`, labels, perMinute, steps),
    counter(`${name}_sum`, labels, target * perMinute, steps),
  ];
}

/** Series that make a threshold expression evaluate to `value`, and the labels of its result. */
export function thresholdSeries(service: Service, expr: ThresholdExpr, value: number, steps: number): Synthesized {
  return { series: thresholdInputSeries(service, expr, value, steps), labels: thresholdLabels(service, expr) };
}

/** Labels of a threshold expression's result series: the same whatever its value. */
export function thresholdLabels(service: Service, expr: ThresholdExpr): LabelSet {
  if (expr.kind === 'promql') return { ...(expr.resultLabels ?? {}) };
  if (expr.kind === 'baseline') return thresholdLabels(service, expr.current);
  return pick(labelsFor(service, resultSelector(expr), byDefaults(expr.by ?? [])), resultLabels(service, expr));
}

/** The selector whose series lend their labels to the result. */
function resultSelector(expr: Exclude<ThresholdExpr, PromqlExpr | BaselineExpr>): Selector {
  switch (expr.kind) {
    case 'ratio':
      return expr.numerator;
    case 'quantile':
    case 'average':
      return expr.histogram;
    case 'gaugePercent':
    case 'forecast':
      return expr.used;
    case 'gauge':
      return expr.gauge;
    case 'rate':
      return expr.counter;
  }
}

function thresholdInputSeries(service: Service, expr: ThresholdExpr, value: number, steps: number): TestSeries[] {
  if (expr.kind === 'promql') return [...expr.testSeries(value)];
  if (expr.kind === 'baseline') return pastAndPresent(service, expr, value, steps, baselinePast(expr));
  const base = byDefaults(expr.by ?? []);
  switch (expr.kind) {
    case 'ratio':
      return ratioSeries(service, expr.numerator, expr.denominator, value / 100, base, steps);
    case 'quantile':
      return quantileSeries(service, expr.histogram, expr.quantile, value, base, steps);
    case 'average': {
      const labels = labelsFor(service, expr.histogram, base);
      const name = expr.histogram.metric.name;
      return [counter(`${name}_sum`, labels, value * perMinute, steps), counter(`${name}_count`, labels, perMinute, steps)];
    }
    case 'gaugePercent': {
      const used = labelsFor(service, expr.used, base);
      const capacity = labelsFor(service, expr.capacity, base);
      if (expr.used.metric.name === expr.capacity.metric.name)
        throw new Error(`${expr.used.metric.name}: used and capacity must be different gauges`);
      return [gaugeSeries(expr.used.metric.name, used, value, steps), gaugeSeries(expr.capacity.metric.name, capacity, 100, steps)];
    }
    case 'gauge':
      return [gaugeSeries(expr.gauge.metric.name, labelsFor(service, expr.gauge, base), value, steps)];
    case 'rate':
      return [counter(expr.counter.metric.name, labelsFor(service, expr.counter, base), value * 60, steps)];
    case 'forecast':
      return forecastSeries(expr, labelsFor(service, expr.used, base), labelsFor(service, expr.capacity, base), value, steps);
  }
}

/**
 * A baseline's series with its present at `value` % of the usual past, and the past itself at
 * `past` (undefined: no history at all), for the tests of its guard.
 */
export function pastAndPresent(service: Service, expr: BaselineExpr, value: number, steps: number, past: number | undefined): TestSeries[] {
  return baselineSeries(expr, value, steps, (current, each, count) => thresholdInputSeries(service, current, each, count), past);
}

/** What an SLO's synthetic counter counts: bad events (failed or slow), good ones, or all. */
export type SliShare = 'bad' | 'good' | 'all';

export interface SliCounter {
  readonly name: string;
  readonly labels: LabelSet;
  readonly share: SliShare;
  /** A histogram bucket's bound, for the caller to spell in `le` (exporters spell it differently). */
  readonly le?: number;
  /** Whether the SLO's total (all events) and its numerator (errors, good or fast events) select it. */
  readonly inTotal: boolean;
  readonly inNumerator: boolean;
}

/** The SLOs whose events are counted by counters (a gauge SLO's are its samples). */
export type CountedSlo = Exclude<Slo, GaugeSlo>;

/** The counters an SLO reads, with what each counts and which side of the SLI selects it. */
export function sliCounters(service: Service, slo: CountedSlo): SliCounter[] {
  if (slo.kind === 'latency') {
    const labels = labelsFor(service, slo.histogram, {});
    const name = slo.histogram.metric.name;
    return [
      { name: `${name}_bucket`, labels, share: 'good', le: slo.threshold, inTotal: false, inNumerator: true },
      { name: `${name}_bucket`, labels, share: 'all', le: Number.POSITIVE_INFINITY, inTotal: false, inNumerator: false },
      { name: `${name}_count`, labels, share: 'all', inTotal: true, inNumerator: false },
    ];
  }
  const numerator = slo.errors ?? slo.good!;
  const numeratorShare: SliShare = slo.errors ? 'bad' : 'good';
  const restShare: SliShare = slo.errors ? 'good' : 'bad';
  return ratioCounters(service, numerator, slo.total, {}).map((each) => ({
    name: each.name,
    labels: each.labels,
    share: each.share === 'part' ? numeratorShare : each.share === 'rest' ? restShare : 'all',
    inTotal: each.name === slo.total.metric.name && selects(service, slo.total, each.labels),
    inNumerator: each.share === 'part',
  }));
}

/** A bucket's `le` as the Go client writes it. */
export const leLabel = (bound: number): string => (bound === Number.POSITIVE_INFINITY ? '+Inf' : goFloat(bound));

/** Series that give an SLO the error ratio `errorRatio` over every window (for a gauge SLO, one `gaugeFraction` returned). */
export function sliSeries(service: Service, slo: Slo, errorRatio: number, steps: number): TestSeries[] {
  if (slo.kind === 'gauge') return gaugeSliSeries(service, slo, errorRatio, steps);
  const increment: Record<SliShare, number> = { bad: errorRatio * perMinute, good: (1 - errorRatio) * perMinute, all: perMinute };
  return sliCounters(service, slo).map((each) =>
    counter(each.name, each.le === undefined ? each.labels : { ...each.labels, le: leLabel(each.le) }, increment[each.share], steps),
  );
}

/**
 * A gauge SLO counts series samples, so its test error ratios are fractions bad/all of a few
 * series; this many at most per test group.
 */
export const maxGaugeSeries = 400;

/** The fraction k/n with the smallest n (at most maxGaugeSeries) strictly between low and high, if any. */
export function gaugeFraction(low: number, high: number): number | undefined {
  for (let n = 1; n <= maxGaugeSeries; n += 1) {
    const k = Math.floor(low * n) + 1;
    if (k <= n && k / n < high) return k / n;
  }
  return undefined;
}

/** `errorRatio` (a gaugeFraction, or 0 or 1) as bad and total series. */
function seriesCounts(errorRatio: number): { bad: number; total: number } {
  for (let total = 1; total <= maxGaugeSeries; total += 1) {
    const bad = Math.round(errorRatio * total);
    if (Math.abs(bad / total - errorRatio) < 1e-12) return { bad, total };
  }
  throw new Error(`${errorRatio} is not a fraction of at most ${maxGaugeSeries} gauge series`);
}

/** A value on each side of a gauge SLO's bound: on it, or 1 inside, on the passing side; 1 past it on the failing side. */
export function gaugeSideValues(good: GaugeBound): { readonly good: number; readonly failing: number } {
  const bound = gaugeBound(good);
  const below = boundOperators[bound.kind].good.startsWith('<');
  const inclusive = boundOperators[bound.kind].good.endsWith('=');
  return {
    good: inclusive ? bound.value : bound.value + (below ? -1 : 1),
    failing: inclusive ? bound.value + (below ? 1 : -1) : bound.value,
  };
}

/**
 * Constant gauges, by labels and value: one at 1 − the error ratio when every sample is its
 * own share of good; else `bad` of them missing the bound and the rest meeting it, told apart
 * by `instance`.
 */
export function gaugeSamples(service: Service, slo: GaugeSlo, errorRatio: number): { labels: LabelSet; value: number }[] {
  const labels = labelsFor(service, slo.gauge, {});
  if (slo.good === 'value') return [{ labels, value: Number((1 - errorRatio).toPrecision(12)) }];
  const { bad, total } = seriesCounts(errorRatio);
  const exporter = ['instance', 'pod', 'replica'].find((label) => !(label in labels))!;
  const sides = gaugeSideValues(slo.good);
  return Array.from({ length: total }, (_, index) => ({
    labels: { ...labels, [exporter]: `gauge-${index + 1}` },
    value: index < bad ? sides.failing : sides.good,
  }));
}

function gaugeSliSeries(service: Service, slo: GaugeSlo, errorRatio: number, steps: number): TestSeries[] {
  return gaugeSamples(service, slo, errorRatio).map((sample) => gaugeSeries(slo.gauge.metric.name, sample.labels, sample.value, steps));
}
