import type { Routing } from '../../model/routing.ts';
import { localMinutes, months, type EventWindow, type TimePeriod as Period } from '../../model/time-interval.ts';
import { durationSeconds } from '../../model/duration.ts';
import type { TimeInterval, TimePeriod } from './types.ts';

const day = 24 * 60;

/** The routing policy's named intervals, then one per event window; `undefined` when there are none. */
export function timeIntervals(routing: Routing | undefined): TimeInterval[] | undefined {
  const named = Object.entries(routing?.timeIntervals ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, interval]) => ({ name, time_intervals: interval.periods.map((period) => timePeriod(period, interval.timeZone)) }));
  const events = (routing?.events ?? []).map((event) => ({ name: event.name, time_intervals: eventPeriods(event) }));
  const all = [...named, ...events];
  return all.length > 0 ? all : undefined;
}

export function timePeriod(period: Period, location: string | undefined): TimePeriod {
  return {
    ...(period.times && { times: period.times.map((range) => ({ start_time: range.start, end_time: range.end })) }),
    ...(period.weekdays && { weekdays: [...period.weekdays] }),
    ...(period.daysOfMonth && { days_of_month: period.daysOfMonth.map(String) }),
    ...(period.months && { months: [...period.months] }),
    ...(period.years && { years: period.years.map(String) }),
    ...(location !== undefined && { location }),
  };
}

/**
 * Alertmanager has no absolute date-times, only calendar fields and times of day: the window
 * [start − lead time, end) becomes one period per calendar day it touches, in the event's zone.
 */
export function eventPeriods(event: EventWindow): TimePeriod[] {
  const lead = event.leadTime ? durationSeconds(event.leadTime)! / 60 : 0;
  const start = localMinutes(event.start)! - lead;
  const end = localMinutes(event.end)!;
  const periods: TimePeriod[] = [];
  for (let midnight = Math.floor(start / day) * day; midnight < end; midnight += day) {
    const from = Math.max(start, midnight) - midnight;
    const to = Math.min(end, midnight + day) - midnight;
    const date = new Date(midnight * 60_000);
    periods.push({
      ...(to - from < day && { times: [{ start_time: clock(from), end_time: clock(to) }] }),
      days_of_month: [String(date.getUTCDate())],
      months: [months[date.getUTCMonth()]!],
      years: [String(date.getUTCFullYear())],
      location: event.timeZone,
    });
  }
  return periods;
}

const clock = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
