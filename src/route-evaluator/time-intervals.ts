import type { TimeInterval, TimePeriod } from '../compile/alertmanager/types.ts';
import { clockMinutes, months, weekdays } from '../model/time-interval.ts';

// Whether a named time interval is in force at an instant, as Alertmanager decides it
// (timeinterval/timeinterval.go, TimeInterval.ContainsTime): an interval holds when any of its
// periods does; a period when every field it sets does, in its `location` (default UTC).
// Times are [start, end) minutes of the day; weekday, day-of-month (negative from the month's
// end), month and year ranges `a:b` are inclusive.

interface Local {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly daysInMonth: number;
  /** 0 = Sunday */
  readonly weekday: number;
  readonly minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function local(time: number, zone: string): Local {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'long',
    });
    formats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(time * 1000)).map((part) => [part.type, part.value]));
  const [year, month, day] = [Number(parts.year), Number(parts.month), Number(parts.day)];
  return {
    year,
    month,
    day,
    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
    weekday: weekdays.indexOf(parts.weekday!.toLowerCase() as (typeof weekdays)[number]),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** `a` or `a:b` (inclusive), each end read by `value`. */
function inRanges(ranges: readonly string[] | undefined, actual: number, value: (text: string) => number): boolean {
  if (!ranges || ranges.length === 0) return true;
  return ranges.some((range) => {
    const [from, to = from] = range.split(':');
    return actual >= value(from!) && actual <= value(to!);
  });
}

const named =
  (names: readonly string[], first: number) =>
  (text: string): number => {
    const index = names.indexOf(text.toLowerCase());
    return index >= 0 ? index + first : Number(text);
  };

export function periodContains(period: TimePeriod, time: number): boolean {
  const at = local(time, period.location ?? 'UTC');
  const times = period.times ?? [];
  if (times.length > 0 && !times.some((range) => at.minute >= clockMinutes(range.start_time)! && at.minute < clockMinutes(range.end_time)!))
    return false;
  const day = (text: string): number => {
    const value = Number(text);
    return value < 0 ? at.daysInMonth + value + 1 : value;
  };
  return (
    inRanges(period.weekdays, at.weekday, named(weekdays, 0)) &&
    inRanges(period.days_of_month, at.day, day) &&
    inRanges(period.months, at.month, named(months, 1)) &&
    inRanges(period.years, at.year, Number)
  );
}

export function intervalContains(interval: TimeInterval, time: number): boolean {
  return interval.time_intervals.some((period) => periodContains(period, time));
}

/**
 * Whether a route's notifications are held back at `time` (notify.TimeMuteStage and
 * TimeActiveStage): one of its mute intervals is in force, or it has active intervals and none is.
 */
export function mutedAt(
  route: { readonly muteTimeIntervals: readonly string[]; readonly activeTimeIntervals: readonly string[] },
  intervals: readonly TimeInterval[],
  time: number,
): boolean {
  const holds = (name: string): boolean => {
    const interval = intervals.find((each) => each.name === name);
    return interval !== undefined && intervalContains(interval, time);
  };
  if (route.muteTimeIntervals.some(holds)) return true;
  return route.activeTimeIntervals.length > 0 && !route.activeTimeIntervals.some(holds);
}
