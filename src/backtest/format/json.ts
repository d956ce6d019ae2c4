import type { Episode } from '../simulate.ts';
import type { AlertRow, BacktestReport, SideReport } from '../index.ts';
import { formatTime } from '../time.ts';
import { mean, overall } from './summary.ts';

const episode = (each: Episode) => ({
  start: formatTime(each.start),
  end: each.end === undefined ? null : formatTime(each.end),
  activeAt: formatTime(each.activeAt),
  labels: each.labels,
});

const row = (each: AlertRow) => ({
  alert: each.name,
  severity: each.severity,
  service: each.service ?? null,
  intervalSeconds: each.interval,
  for: each.for ?? null,
  keepFiringFor: each.keepFiringFor ?? null,
  rules: each.rules,
  evaluations: each.evaluations,
  count: each.episodes.length,
  firingSeconds: each.firingSeconds,
  longestSeconds: each.longestSeconds,
  flapping: each.flapping,
  ...(each.measures && {
    incidents: {
      concerning: each.measures.incidents,
      caught: each.measures.caught,
      recall: each.measures.incidents === 0 ? null : each.measures.caught / each.measures.incidents,
      matchingEpisodes: each.measures.matching,
      precision: each.measures.episodes === 0 ? null : each.measures.matching / each.measures.episodes,
      detectionSeconds: each.measures.detection,
      meanDetectionSeconds: mean(each.measures.detection) ?? null,
      resetSeconds: each.measures.reset,
      meanResetSeconds: mean(each.measures.reset) ?? null,
    },
  }),
  recordedSeries: each.sources,
  errors: each.errors,
  episodes: each.episodes.map(episode),
});

const side = (report: SideReport) => ({
  label: report.label,
  alerts: report.rows.map(row),
  notifications: report.notifications
    ? {
        bySeverity: report.notifications.bySeverity,
        list: report.notifications.list.map((each) => ({ ...each, time: formatTime(each.time) })),
      }
    : null,
  ...(report.incidents && {
    incidents: {
      overall: overall(report),
      outcomes: report.incidents.map((each) => ({ ...each, start: formatTime(each.start), end: formatTime(each.end) })),
    },
  }),
});

/** The whole report as data; times in RFC 3339, durations in seconds. */
export function formatJson(report: BacktestReport): string {
  return `${JSON.stringify(
    {
      prometheus: report.prometheus,
      from: formatTime(report.from),
      to: formatTime(report.to),
      evaluationIntervalSeconds: report.evaluationInterval,
      offsetSeconds: report.offset,
      flappingEvaluations: report.flappingEvaluations,
      head: side(report.head),
      base: report.base ? side(report.base) : null,
    },
    null,
    2,
  )}\n`;
}
