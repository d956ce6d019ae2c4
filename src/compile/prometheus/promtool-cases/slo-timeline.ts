import type { SliShare } from '../../../derive/test-series.ts';

// Days of synthetic traffic for an SLO's wiring tests: two instances, ten times more requests by
// day than by night, a quiet weekend day, error ratios that change by phase, and the faults real
// counters see (idle periods, scrape gaps, a process restart). Whole numbers only, so promtool
// reads back exactly the values the simulation used.

const minutesPerDay = 1440;

/** Requests per minute and instance: weekday by day, weekday by night, weekend by day, weekend by night. */
const perMinute = { weekday: { day: 60_000, night: 6_000 }, weekend: { day: 12_000, night: 1_200 } };
const dayStarts = 8 * 60;
const dayEnds = 20 * 60;

export interface Phase {
  /** From this minute on, until the next phase. */
  readonly from: number;
  readonly errorRatio: number;
}

export interface Timeline {
  /** Samples at minutes 0 … minutes. */
  readonly minutes: number;
  /** Error ratio by phase; before the first phase there are no errors and no error series yet. */
  readonly phases: readonly Phase[];
  /** Days (0-based) with weekend traffic. */
  readonly weekend: readonly number[];
  /** [from, to) minutes without a single request. */
  readonly idle: readonly (readonly [number, number])[];
  /** [from, to) minutes without a scrape. */
  readonly gaps: readonly (readonly [number, number])[];
  /** Minutes at which the first instance restarts and its counters start again from 0. */
  readonly restarts: readonly number[];
}

const within = (minute: number, ranges: readonly (readonly [number, number])[]): boolean =>
  ranges.some(([from, to]) => minute >= from && minute < to);

export function requestsAt(timeline: Timeline, minute: number): number {
  if (within(minute, timeline.idle)) return 0;
  const day = Math.floor(minute / minutesPerDay);
  const clock = minute % minutesPerDay;
  const rates = timeline.weekend.includes(day) ? perMinute.weekend : perMinute.weekday;
  return clock >= dayStarts && clock < dayEnds ? rates.day : rates.night;
}

export function errorRatioAt(timeline: Timeline, minute: number): number {
  let ratio = 0;
  for (const phase of timeline.phases) if (phase.from <= minute) ratio = phase.errorRatio;
  return ratio;
}

/**
 * One counter's value at every minute: events in each minute (bad ones rounded to whole
 * requests), summed from 0 and again from 0 after a restart; undefined in scrape gaps and, for
 * counters of bad events, until the first one (client libraries create labelled series lazily).
 */
export function counterValues(timeline: Timeline, share: SliShare, instance: number): (number | undefined)[] {
  const values: (number | undefined)[] = [];
  let value = 0;
  let created = share !== 'bad';
  for (let minute = 0; minute <= timeline.minutes; minute += 1) {
    if (minute > 0) {
      const requests = requestsAt(timeline, minute);
      const bad = Math.round(requests * errorRatioAt(timeline, minute));
      const increment = share === 'bad' ? bad : share === 'good' ? requests - bad : requests;
      value = instance === 0 && timeline.restarts.includes(minute) ? increment : value + increment;
    }
    created ||= value > 0;
    values.push(created && !within(minute, timeline.gaps) ? value : undefined);
  }
  return values;
}

/** promtool's expanding notation of exact values (whole numbers, a gauge's 0.75): `0+600x59 36000+60x719 _x15 …`. */
export function seriesNotation(values: readonly (number | undefined)[]): string {
  const parts: string[] = [];
  let index = 0;
  while (index < values.length) {
    const value = values[index];
    if (value === undefined) {
      let end = index;
      while (end + 1 < values.length && values[end + 1] === undefined) end += 1;
      parts.push(end === index ? '_' : `_x${end - index + 1}`);
      index = end + 1;
      continue;
    }
    const next = values[index + 1];
    if (next === undefined) {
      parts.push(String(value));
      index += 1;
      continue;
    }
    const step = next - value;
    let end = index + 1;
    while (end + 1 < values.length && values[end + 1] !== undefined && values[end + 1]! - values[end]! === step) end += 1;
    parts.push(`${value}${step < 0 ? '' : '+'}${step}x${end - index}`);
    index = end + 1;
  }
  return parts.join(' ');
}
