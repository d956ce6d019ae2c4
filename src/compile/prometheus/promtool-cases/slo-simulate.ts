// Evaluates an SLO's generated rules on synthetic counters or gauges the way Prometheus does, so
// the tests can say what each window holds and when a burn alert fires. Only what the SLO rules
// use: last_over_time (with an offset), increase() with its extrapolation, sum_over_time,
// count_over_time, a subquery of count() at the evaluation interval, division and `for`.

/** How a Prometheus version selects samples: 2.x includes a range's left edge, 3.x excludes it. */
export interface Semantics {
  readonly leftOpen: boolean;
}

export const semantics: readonly Semantics[] = [{ leftOpen: false }, { leftOpen: true }];

/**
 * One input series: a value per minute (undefined: not scraped, or not created yet). A counter
 * says which side of the SLI selects it; a gauge is read whole.
 */
export interface SimCounter {
  readonly values: readonly (number | undefined)[];
  readonly inTotal: boolean;
  readonly inNumerator: boolean;
}

/**
 * How the bad events follow: from counters of the total and the numerator (errors, good or fast
 * events); or from gauges, each sample at each evaluation bad when it fails `isGood`, or every
 * scraped sample its own share of good (`value`).
 */
export type BadFrom = 'errors' | 'good' | 'fast' | 'value' | { readonly isGood: (value: number) => boolean };

/** The recording rules of one SLO, windows in minutes. */
export interface SimRules {
  readonly badFrom: BadFrom;
  readonly evalMinutes: number;
  readonly aggregateMinutes: number;
  /** How far before its window an aggregate looks for a series' last sample. */
  readonly bridgeMinutes: number;
  /** Windows computed in the slow group, which runs before the fast one and so lags one round. */
  readonly isSlow: (minutes: number) => boolean;
}

export interface Simulation {
  /** Evaluation times in minutes. */
  readonly times: readonly number[];
  /** The recorded aggregates, events and bad events per second, at every evaluation (undefined: absent). */
  readonly events: readonly (number | undefined)[];
  readonly bad: readonly (number | undefined)[];
  /** The error ratio over a window at every evaluation (undefined: absent; NaN: no traffic). */
  readonly ratio: (minutes: number) => readonly (number | undefined)[];
}

/** The last value in a range of minutes (left edge included unless `leftOpen`). */
function lastIn(values: readonly (number | undefined)[], from: number, to: number, leftOpen: boolean): number | undefined {
  for (let minute = Math.min(to, values.length - 1); minute >= Math.max(0, from) && (minute > from || !leftOpen); minute -= 1) {
    const value = values[minute];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Prometheus' extrapolatedRate for a counter over (or, in 2.x, including the start of) a range. */
function rate(values: readonly (number | undefined)[], end: number, range: number, leftOpen: boolean): number | undefined {
  const times: number[] = [];
  const points: number[] = [];
  for (let minute = Math.max(0, end - range + (leftOpen ? 1 : 0)); minute <= end && minute < values.length; minute += 1) {
    const value = values[minute];
    if (value !== undefined) {
      times.push(minute * 60);
      points.push(value);
    }
  }
  if (points.length < 2) return undefined;
  let result = points.at(-1)! - points[0]!;
  let last = 0;
  for (const value of points) {
    if (value < last) result += last;
    last = value;
  }
  const rangeStart = (end - range) * 60;
  const rangeEnd = end * 60;
  let toStart = times[0]! - rangeStart;
  const toEnd = rangeEnd - times.at(-1)!;
  const sampled = times.at(-1)! - times[0]!;
  const average = sampled / (points.length - 1);
  if (result > 0 && points[0]! >= 0) toStart = Math.min(toStart, sampled * (points[0]! / result));
  const threshold = average * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : average / 2;
  interval += toEnd < threshold ? toEnd : average / 2;
  return (result * (interval / sampled)) / (range * 60);
}

/** One series' events per second in the aggregate window (slo.ts eventsInWindow), undefined when absent. */
function eventsRate(values: readonly (number | undefined)[], end: number, rules: SimRules, mode: Semantics): number | undefined {
  const window = rules.aggregateMinutes;
  const last = lastIn(values, end - window, end, mode.leftOpen);
  const before = lastIn(values, end - window - rules.bridgeMinutes, end - window, mode.leftOpen);
  if (last !== undefined && before !== undefined && last - before >= 0) return (last - before) / (window * 60);
  return rate(values, end, window, mode.leftOpen);
}

/** Prometheus's default lookback of an instant selector, in minutes. */
const lookbackMinutes = 5;

/**
 * A gauge SLO's aggregates at `end`: with a bound, sum_over_time of count() over a subquery of
 * the aggregate window at the evaluation interval (steps aligned to multiples of it), each step
 * reading every series' latest sample within the lookback; else count_over_time and the values'
 * sum_over_time of the samples in the window.
 */
function gaugeAggregates(
  gauges: readonly SimCounter[],
  end: number,
  rules: SimRules,
  mode: Semantics,
  isGood: ((value: number) => boolean) | undefined,
): { events: number | undefined; bad: number | undefined } {
  const window = rules.aggregateMinutes;
  const inRange = (minute: number): boolean =>
    minute >= 0 && minute <= end && (minute > end - window || (!mode.leftOpen && minute === end - window));
  if (!isGood) {
    let events: number | undefined;
    let good = 0;
    for (const gauge of gauges)
      gauge.values.forEach((value, minute) => {
        if (value === undefined || !inRange(minute)) return;
        events = (events ?? 0) + 1;
        good += value;
      });
    return { events, bad: events === undefined ? undefined : events - good };
  }
  let events: number | undefined;
  let bad: number | undefined;
  const step = rules.evalMinutes;
  for (let point = Math.ceil((end - window) / step) * step; point <= end; point += step) {
    if (!inRange(point)) continue;
    const samples = gauges
      .map((gauge) => lastIn(gauge.values, point - lookbackMinutes, point, mode.leftOpen))
      .filter((value) => value !== undefined);
    // count() of nothing is no sample, and sum_over_time skips the step.
    if (samples.length > 0) events = (events ?? 0) + samples.length;
    const failing = samples.filter((value) => !isGood(value)).length;
    if (failing > 0) bad = (bad ?? 0) + failing;
  }
  // `or on() 0 * events`: 0 while there are samples but none bad.
  return { events, bad: bad ?? (events === undefined ? undefined : 0) };
}

function sumOf(rates: readonly (number | undefined)[]): number | undefined {
  let sum: number | undefined;
  for (const value of rates) if (value !== undefined) sum = (sum ?? 0) + value;
  return sum;
}

/** Evaluates the rules at every `evalMinutes` from 0 to the last sample, like promtool. */
export function simulate(counters: readonly SimCounter[], rules: SimRules, mode: Semantics): Simulation {
  const length = Math.max(...counters.map((counter) => counter.values.length));
  const times: number[] = [];
  for (let minute = 0; minute < length; minute += rules.evalMinutes) times.push(minute);
  const bad: (number | undefined)[] = [];
  const events: (number | undefined)[] = [];
  for (const time of times) {
    if (rules.badFrom === 'value' || typeof rules.badFrom === 'object') {
      const aggregates = gaugeAggregates(counters, time, rules, mode, rules.badFrom === 'value' ? undefined : rules.badFrom.isGood);
      events.push(aggregates.events);
      bad.push(aggregates.bad);
      continue;
    }
    const rates = counters.map((counter) => eventsRate(counter.values, time, rules, mode));
    const total = sumOf(rates.filter((_, index) => counters[index]!.inTotal));
    const numerator = sumOf(rates.filter((_, index) => counters[index]!.inNumerator));
    events.push(total);
    if (rules.badFrom === 'errors') bad.push(numerator ?? (total === undefined ? undefined : 0));
    else if (rules.badFrom === 'good') bad.push(total === undefined ? undefined : total - (numerator ?? 0));
    else bad.push(total === undefined || numerator === undefined ? undefined : total - numerator);
  }
  // Prefix sums of each aggregate and of how many samples it has, for every window in O(1).
  const prefix = (series: readonly (number | undefined)[]): { sum: number[]; count: number[] } => {
    const sum = [0];
    const count = [0];
    for (const value of series) {
      sum.push(sum.at(-1)! + (value ?? 0));
      count.push(count.at(-1)! + (value === undefined ? 0 : 1));
    }
    return { sum, count };
  };
  const badSums = prefix(bad);
  const eventSums = prefix(events);
  const ratios = new Map<number, (number | undefined)[]>();
  const ratio = (minutes: number): (number | undefined)[] => {
    let values = ratios.get(minutes);
    if (values) return values;
    values = times.map((_, index) => {
      if (minutes === rules.aggregateMinutes) {
        const b = bad[index];
        const e = events[index];
        return b === undefined || e === undefined ? undefined : b / e;
      }
      // sum_over_time over the recorded samples in the window, the newest one only if recorded already.
      const last = rules.isSlow(minutes) ? index - 1 : index;
      const first = Math.max(0, index - minutes / rules.evalMinutes + (mode.leftOpen ? 1 : 0));
      if (last < first) return undefined;
      const count = (sums: { count: number[] }): number => sums.count[last + 1]! - sums.count[first]!;
      if (count(badSums) === 0 || count(eventSums) === 0) return undefined;
      return (badSums.sum[last + 1]! - badSums.sum[first]!) / (eventSums.sum[last + 1]! - eventSums.sum[first]!);
    });
    ratios.set(minutes, values);
    return values;
  };
  return { times, events, bad, ratio };
}

/** One pair of a burn alert: both windows (minutes) above the threshold. */
export interface SimBranch {
  readonly long: number;
  readonly short: number;
  readonly threshold: number;
}

/** The pair of a burn alert whose windows are both above its threshold at evaluation `at`, the first of them; undefined when none. */
function burningBranch(sim: Simulation, branches: readonly SimBranch[], at: number): SimBranch | undefined {
  const above = (minutes: number, threshold: number): boolean => (sim.ratio(minutes)[at] ?? Number.NaN) > threshold;
  return branches.find((branch) => above(branch.long, branch.threshold) && above(branch.short, branch.threshold));
}

/** Whether a burn alert of these pairs and `for` fires after each evaluation of `sim`. */
export function firing(sim: Simulation, branches: readonly SimBranch[], forMinutes: number): boolean[] {
  let activeAt: number | undefined;
  return sim.times.map((time, at) => {
    if (!burningBranch(sim, branches, at)) {
      activeAt = undefined;
      return false;
    }
    activeAt ??= time;
    return time - activeAt >= forMinutes;
  });
}

/**
 * A burn alert's $value after each evaluation of `sim`: `(long > t and short > t) or …` keeps the
 * long window's sample of the first pair that burns (undefined while none does).
 */
export function alertValues(sim: Simulation, branches: readonly SimBranch[]): (number | undefined)[] {
  return sim.times.map((_time, at) => {
    const branch = burningBranch(sim, branches, at);
    return branch && sim.ratio(branch.long)[at];
  });
}
