// Evaluates an SLO's generated rules on synthetic counters the way Prometheus does, so the
// wiring tests can say when each alert fires and what each window holds. Only the functions the
// SLO rules use: rate() with its extrapolation, sum_over_time, division, and `for`.

/** How a Prometheus version selects samples: 2.x includes a range's left edge, 3.x excludes it. */
export interface Semantics {
  readonly leftOpen: boolean;
  /** Thresholds multiplied by this: a check only stands where nudging a threshold changes nothing. */
  readonly thresholdScale: number;
}

export const semantics: readonly Semantics[] = [
  { leftOpen: false, thresholdScale: 1 },
  { leftOpen: true, thresholdScale: 1 },
  { leftOpen: false, thresholdScale: 1 + 1e-6 },
  { leftOpen: false, thresholdScale: 1 - 1e-6 },
];

/** One input counter: a value per minute (undefined: not scraped, or not created yet). */
export interface SimCounter {
  readonly values: readonly (number | undefined)[];
  readonly inTotal: boolean;
  readonly inNumerator: boolean;
}

/** How the bad events follow from the total and the numerator (errors, good or fast events). */
export type BadFrom = 'errors' | 'good' | 'fast';

export interface SimBranch {
  readonly long: number;
  readonly short: number;
  readonly threshold: number;
}

export interface SimTier {
  readonly forMinutes: number;
  readonly branches: readonly SimBranch[];
}

/** The rules of one SLO, windows in minutes. */
export interface SimRules {
  readonly badFrom: BadFrom;
  readonly evalMinutes: number;
  readonly aggregateMinutes: number;
  /** Windows computed in the slow group, which runs before the fast one and so lags one round. */
  readonly isSlow: (minutes: number) => boolean;
  readonly tiers: readonly SimTier[];
}

export interface Simulation {
  /** Evaluation times in minutes. */
  readonly times: readonly number[];
  /** The error ratio over a window at every evaluation (undefined: absent; NaN: no traffic). */
  readonly ratio: (minutes: number) => readonly (number | undefined)[];
  /** Whether a tier's branch condition holds at every evaluation. */
  readonly branch: (tier: number, index: number) => readonly boolean[];
  /** Whether a tier's alert is firing after every evaluation. */
  readonly firing: (tier: number) => readonly boolean[];
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
    const rates = counters.map((counter) => rate(counter.values, time, rules.aggregateMinutes, mode.leftOpen));
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
  const above = (values: readonly (number | undefined)[], threshold: number, index: number): boolean => {
    const value = values[index];
    return value !== undefined && value > threshold * mode.thresholdScale;
  };
  const branch = (tier: number, index: number): boolean[] => {
    const { long, short, threshold } = rules.tiers[tier]!.branches[index]!;
    return times.map((_, at) => above(ratio(long), threshold, at) && above(ratio(short), threshold, at));
  };
  const firing = (tier: number): boolean[] => {
    const branches = rules.tiers[tier]!.branches.map((_, index) => branch(tier, index));
    let activeAt: number | undefined;
    return times.map((time, at) => {
      if (!branches.some((each) => each[at])) {
        activeAt = undefined;
        return false;
      }
      activeAt ??= time;
      return time - activeAt >= rules.tiers[tier]!.forMinutes;
    });
  };
  return { times, ratio, branch, firing };
}
