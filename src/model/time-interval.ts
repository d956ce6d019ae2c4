import type { Severity } from './severity.ts';

// Named time intervals (business hours, maintenance windows), in Alertmanager's own terms:
// a period matches when every field it sets matches; an interval matches when any period does.

export const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
/** Names as Alertmanager writes them. */
export type Weekday = (typeof weekdays)[number];

export const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;
/** Names as Alertmanager writes them. */
export type Month = (typeof months)[number];

/** `HH:MM`, 00:00 to 24:00. */
export type ClockTime = `${number}:${number}`;

/** From `start` (inclusive) to `end` (exclusive), within one day. */
export interface TimeRange {
  readonly start: ClockTime;
  readonly end: ClockTime;
}

/** A value or an inclusive range `start:end`. */
type OneOrRange<T extends string | number> = `${T}` | `${T}:${T}`;

/** Weekdays, times, days of month, months, years. */
export interface TimePeriod {
  readonly times?: readonly TimeRange[];
  readonly weekdays?: readonly OneOrRange<Weekday>[];
  /** 1 to 31; negative values count from the end of the month (-1 is the last day). */
  readonly daysOfMonth?: readonly OneOrRange<number>[];
  readonly months?: readonly OneOrRange<Month>[];
  readonly years?: readonly OneOrRange<number>[];
}

/** A named Alertmanager time interval. */
export interface TimeInterval {
  /** IANA time zone the times are in; default UTC. */
  readonly timeZone?: string;
  readonly periods: readonly [TimePeriod, ...TimePeriod[]];
}

/** What an event window escalates: below critical (which pages anyway), above info. */
export const eventSeverities: readonly Severity[] = ['high', 'warning'];

/** `YYYY-MM-DDTHH:MM`, wall-clock time in the event's time zone. */
export type LocalDateTime = `${number}-${number}-${number}T${number}:${number}`;

/**
 * A declared critical event (docs/design.md, "Routing and noise"): from `leadTime` before `start`
 * until `end`, high and warning alerts of the critical-path `services` page at once.
 */
export interface EventWindow {
  /** Lower-case identifier; also the name of its Alertmanager time interval. */
  readonly name: string;
  readonly start: LocalDateTime;
  readonly end: LocalDateTime;
  readonly timeZone: string;
  /** How long before `start` paging begins, in whole minutes; default none. */
  readonly leadTime?: `${number}${'m' | 'h'}`;
  /** The event's critical-path services. */
  readonly services: readonly [string, ...string[]];
}

/** Minutes since midnight of `HH:MM`, or undefined when it is not a time from 00:00 to 24:00. */
export function clockMinutes(time: string): number | undefined {
  const match = /^([01][0-9]|2[0-4]):([0-5][0-9])$/.exec(time);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

/**
 * True when the IANA zone is known. Alertmanager loads it from the tz database by file name,
 * which is case-sensitive, while Intl is not: `europe/london` is unknown there.
 */
export function isTimeZone(name: string): boolean {
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    return resolved === name || resolved.toLowerCase() !== name.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Minutes since 1970-01-01T00:00 of a wall-clock `YYYY-MM-DDTHH:MM`, zone-less (calendar
 * arithmetic only), or undefined when it is not a real date and time.
 */
export function localMinutes(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (hour > 23 || minute > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.getTime() / 60_000;
}
