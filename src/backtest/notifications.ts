import { inhibitedNow, matchRoutes, type RouteOptions, routeOptions } from '../route-evaluator/evaluate.ts';
import { mutedAt } from '../route-evaluator/time-intervals.ts';
import { labelKey } from '../diff/labels.ts';
import type { AlertmanagerSettings, Labels } from '../reader/index.ts';
import { compoundSeconds } from '../model/duration.ts';
import { severities } from '../model/severity.ts';
import type { Episode } from './simulate.ts';

// What the people on call would have received: the firing episodes sent to Alertmanager (an
// alert starts when Prometheus first sends it firing and ends when it sends it resolved) and
// replayed through its dispatcher (dispatch/dispatch.go: one aggregation group per route and
// group_by values, first flush after group_wait, then one every group_interval, resolved
// alerts dropped after each flush, an empty group destroyed), its mute stages at flush time
// (inhibition, mute and active time intervals) and its notification log (notify/notify.go,
// DedupStage.needsUpdate: new firing alerts, all resolved, newly resolved when the receiver
// sends resolved notices, or repeat_interval elapsed).

export interface Notification {
  /** Unix seconds. */
  readonly time: number;
  readonly receiver: string;
  /** The most severe alert in it. */
  readonly severity: string;
  /** `firing`: at least one alert firing; `resolved`: all resolved (only to receivers that send resolved notices). */
  readonly kind: 'firing' | 'resolved';
  readonly alerts: number;
}

interface Instance {
  readonly key: string;
  readonly labels: Labels;
  readonly start: number;
  /** Infinity while still firing at the end of the range. */
  readonly end: number;
}

interface Group {
  readonly key: string;
  readonly options: RouteOptions;
  readonly groupInterval: number;
  readonly repeatInterval: number;
  readonly sendResolved: boolean;
  readonly alerts: Map<string, Instance>;
  nextFlush: number;
}

interface LogEntry {
  readonly firing: ReadonlySet<string>;
  readonly resolved: ReadonlySet<string>;
  readonly time: number;
}

/** Integrations that send resolved notices unless `send_resolved: false` (Alertmanager's per-type defaults). */
const resolvedByDefault = new Set([
  'pagerduty',
  'opsgenie',
  'victorops',
  'pushover',
  'webhook',
  'sns',
  'telegram',
  'discord',
  'webex',
  'msteams',
  'msteamsv2',
  'jira',
  'rocketchat',
]);

const seconds = (duration: string): number => compoundSeconds(duration) ?? 0;

/** `inhibitors`: every episode that can mute another (the notified ones and any other alert replayed). */
export function notifications(
  episodes: readonly Episode[],
  config: AlertmanagerSettings,
  to: number,
  inhibitors: readonly Episode[] = episodes,
): Notification[] {
  const instances: Instance[] = episodes
    .map((episode) => ({
      key: labelKey(episode.labels),
      labels: episode.labels,
      start: episode.start,
      end: episode.end ?? Number.POSITIVE_INFINITY,
    }))
    .sort((a, b) => a.start - b.start || a.key.localeCompare(b.key));
  const sendResolved = new Map(
    config.receivers.map((receiver) => [
      receiver.name,
      receiver.integrations.some((each) => (each.settings.send_resolved as boolean | undefined) ?? resolvedByDefault.has(each.type)),
    ]),
  );
  const routesOf = new Map<string, ReturnType<typeof routeTargets>>();
  const groups = new Map<string, Group>();
  const log = new Map<string, LogEntry>();
  const sent: Notification[] = [];
  const firingAt = (time: number): Labels[] =>
    inhibitors.filter((each) => each.start <= time && (each.end ?? Number.POSITIVE_INFINITY) > time).map((each) => each.labels);

  const flush = (group: Group, time: number): void => {
    group.nextFlush = time + group.groupInterval;
    const alerts = [...group.alerts.values()];
    const resolvedNow = alerts.filter((alert) => alert.end <= time);
    if (!mutedAt(group.options, config.timeIntervals, time)) {
      const firingNow = firingAt(time);
      const kept = alerts.filter((alert) => !inhibitedNow(config.inhibitRules, alert.labels, firingNow));
      // With every alert muted the pipeline stops before the notification log (notify.MultiStage).
      if (kept.length === 0) return finish(group, resolvedNow);
      const firing = new Set(kept.filter((alert) => alert.end > time).map((alert) => alert.key));
      const resolved = new Set(kept.filter((alert) => alert.end <= time).map((alert) => alert.key));
      const entry = log.get(group.key);
      if (needsUpdate(entry, firing, resolved, group.repeatInterval, group.sendResolved, time)) {
        log.set(group.key, { firing, resolved, time });
        const shown = kept.filter((alert) => firing.size === 0 || firing.has(alert.key));
        if (firing.size > 0 || group.sendResolved)
          sent.push({
            time,
            receiver: group.options.receiver,
            severity: mostSevere(shown.map((alert) => alert.labels.severity ?? '')),
            kind: firing.size > 0 ? 'firing' : 'resolved',
            alerts: shown.length,
          });
      }
    }
    finish(group, resolvedNow);
  };

  /** After a flush: its resolved alerts are dropped, an empty group is destroyed. */
  const finish = (group: Group, resolvedNow: readonly Instance[]): void => {
    for (const alert of resolvedNow) group.alerts.delete(alert.key);
    if (group.alerts.size === 0) groups.delete(group.key);
  };

  const flushUntil = (time: number): void => {
    for (;;) {
      let next: Group | undefined;
      for (const group of groups.values()) if (group.nextFlush <= time && (!next || group.nextFlush < next.nextFlush)) next = group;
      if (!next) return;
      flush(next, next.nextFlush);
    }
  };

  for (const instance of instances) {
    flushUntil(instance.start);
    const targets = routesOf.get(instance.key) ?? routeTargets(config, instance.labels);
    routesOf.set(instance.key, targets);
    for (const target of targets) {
      const existing = groups.get(target.key);
      if (existing) {
        existing.alerts.set(instance.key, instance);
        continue;
      }
      groups.set(target.key, {
        key: target.key,
        options: target.options,
        groupInterval: seconds(target.options.groupInterval),
        repeatInterval: seconds(target.options.repeatInterval),
        sendResolved: sendResolved.get(target.options.receiver) ?? false,
        alerts: new Map([[instance.key, instance]]),
        nextFlush: instance.start + seconds(target.options.groupWait),
      });
    }
  }
  flushUntil(to);
  return sent;
}

/** The aggregation groups an alert joins: one per matched route, keyed by the route and its group_by values. */
function routeTargets(config: AlertmanagerSettings, labels: Labels): { key: string; options: RouteOptions }[] {
  return matchRoutes(config.route, labels).map((match) => {
    const options = routeOptions(match);
    const all = options.groupBy.includes('...');
    const grouped = Object.fromEntries(Object.entries(labels).filter(([name]) => all || options.groupBy.includes(name)));
    // A route is named by its position in the tree (Alertmanager's route key is its matchers along the path, which siblings may share).
    const route = match.path.map((route, depth) => (depth === 0 ? 'root' : match.path[depth - 1]!.routes!.indexOf(route))).join('/');
    return { key: `${route}:${labelKey(grouped)}`, options };
  });
}

const subset = (items: ReadonlySet<string>, of: ReadonlySet<string>): boolean => [...items].every((item) => of.has(item));

function needsUpdate(
  entry: LogEntry | undefined,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  repeat: number,
  sendResolved: boolean,
  now: number,
): boolean {
  if (!entry) return firing.size > 0;
  if (!subset(firing, entry.firing)) return true;
  if (firing.size === 0) return entry.firing.size > 0;
  if (sendResolved && !subset(resolved, entry.resolved)) return true;
  return entry.time < now - repeat;
}

/** `critical` before `high` before `warning` before `info`, then anything else. */
export function mostSevere(values: readonly string[]): string {
  const rank = (severity: string): number => {
    const index = (severities as readonly string[]).indexOf(severity);
    return index < 0 ? severities.length : index;
  };
  return [...values].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))[0] ?? '';
}
