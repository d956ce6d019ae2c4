import { z } from 'zod';
import { FileProblems } from '../reader/index.ts';
import type { Episode } from './simulate.ts';
import { parseTime } from './time.ts';

// Known incidents and the SRE workbook's four measures of an alert against them: recall
// (incidents it caught), precision (its episodes that overlap an incident), detection time
// (first firing − incident start) and reset time (resolved − incident end).
//
// An incident concerns the alerts it lists under `alerts`, or else every alert of its
// `services` (the alert's `service` label). An episode overlaps an incident when it fires at
// some point from the incident's start to its end (inclusive). An incident with an empty
// `alerts` list is a known event that should page nobody (a quiet night, a planned failover):
// it counts for no alert's recall, and what fires during it stays a false positive.

export interface Incident {
  readonly name: string;
  /** Unix seconds. */
  readonly start: number;
  readonly end: number;
  readonly services: readonly string[];
  /** The alerts expected to fire; when absent, any alert of the services counts. */
  readonly alerts?: readonly string[];
}

/** A file that cannot be used: every problem, each naming the file and the field. */
export class IncidentsFileError extends Error {
  override name = 'IncidentsFileError';
}

const time = z.union([z.string(), z.number()]).transform((value, context) => {
  const seconds = typeof value === 'number' ? value : parseTime(value, Number.NaN);
  if (seconds === undefined || Number.isNaN(seconds)) {
    context.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not an RFC 3339 time or Unix seconds` });
    return z.NEVER;
  }
  return seconds;
});
const names = z.array(z.string().min(1, 'must not be empty'));
const incident = z
  .object({
    name: z.string().min(1, 'must not be empty'),
    start: time,
    end: time,
    services: names.min(1, 'lists no service'),
    alerts: names.optional(),
  })
  .strict()
  .refine((each) => each.end > each.start, { path: ['end'], message: 'is not after start' });
const file = z.object({ incidents: z.array(incident) }).strict();

/** The incidents of a JSON file's text, or an IncidentsFileError listing every problem. */
export function parseIncidents(path: string, content: string): Incident[] {
  const problems = new FileProblems(path);
  const json = problems.json(content);
  const read = json === undefined ? undefined : problems.parse(file, json);
  if (!read) throw new IncidentsFileError(problems.list.join('\n'));
  return read.incidents;
}

export interface AlertIdentity {
  readonly name: string;
  readonly service: string | undefined;
}

export const concerns = (incident: Incident, alert: AlertIdentity): boolean =>
  incident.alerts ? incident.alerts.includes(alert.name) : alert.service !== undefined && incident.services.includes(alert.service);

/**
 * An episode during an incident that concerns the alert, or during any (not quiet) incident of
 * the alert's service, is no false positive: an alert firing while its service has an incident
 * is the incident showing, even when the incident names other alerts as the ones to catch it.
 */
export const explains = (incident: Incident, alert: AlertIdentity): boolean =>
  concerns(incident, alert) || (incident.alerts?.length !== 0 && alert.service !== undefined && incident.services.includes(alert.service));

export const overlaps = (episode: Episode, incident: Incident, to: number): boolean =>
  episode.start <= incident.end && (episode.end ?? to) > incident.start;

export interface AlertMeasures {
  /** Incidents that concern the alert. */
  readonly incidents: number;
  readonly caught: number;
  /** Episodes, and those overlapping an incident that concerns the alert. */
  readonly episodes: number;
  readonly matching: number;
  /** Seconds, one per caught incident. */
  readonly detection: readonly number[];
  readonly reset: readonly number[];
}

export function measureAlert(
  alert: AlertIdentity,
  episodes: readonly Episode[],
  incidents: readonly Incident[],
  to: number,
): AlertMeasures {
  const relevant = incidents.filter((each) => concerns(each, alert));
  const detection: number[] = [];
  const reset: number[] = [];
  for (const incident of relevant) {
    const during = episodes.filter((episode) => overlaps(episode, incident, to));
    if (during.length === 0) continue;
    detection.push(Math.min(...during.map((episode) => episode.start)) - incident.start);
    reset.push(Math.max(...during.map((episode) => episode.end ?? to)) - incident.end);
  }
  return {
    incidents: relevant.length,
    caught: detection.length,
    episodes: episodes.length,
    matching: episodes.filter((episode) => incidents.some((incident) => explains(incident, alert) && overlaps(episode, incident, to)))
      .length,
    detection,
    reset,
  };
}

export interface IncidentOutcome {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** The first alert that fired for it, and when relative to its start (seconds). */
  readonly detectedBy?: string;
  readonly detection?: number;
  /** When the last of its alerts resolved, relative to its end. */
  readonly reset?: number;
  /** A known event no alert should fire for (`alerts: []`), and the alerts that fired during it anyway. */
  readonly quiet?: { readonly fired: readonly string[] };
}

/** Each incident: caught by any alert that concerns it, with the earliest detection and the latest reset. */
export function measureIncidents(
  alerts: readonly { readonly identity: AlertIdentity; readonly episodes: readonly Episode[] }[],
  incidents: readonly Incident[],
  to: number,
): IncidentOutcome[] {
  return incidents.map((incident) => {
    const during = alerts
      .filter((alert) => concerns(incident, alert.identity))
      .flatMap((alert) =>
        alert.episodes.filter((episode) => overlaps(episode, incident, to)).map((episode) => ({ alert: alert.identity.name, episode })),
      );
    const base = { name: incident.name, start: incident.start, end: incident.end };
    if (incident.alerts?.length === 0) {
      const ofServices = alerts.filter(
        (alert) => alert.identity.service !== undefined && incident.services.includes(alert.identity.service),
      );
      const fired = ofServices
        .filter((alert) => alert.episodes.some((episode) => overlaps(episode, incident, to)))
        .map((alert) => alert.identity.name);
      return { ...base, quiet: { fired: [...new Set(fired)] } };
    }
    if (during.length === 0) return base;
    const first = during.reduce((a, b) => (b.episode.start < a.episode.start ? b : a));
    return {
      ...base,
      detectedBy: first.alert,
      detection: first.episode.start - incident.start,
      reset: Math.max(...during.map((each) => each.episode.end ?? to)) - incident.end,
    };
  });
}
