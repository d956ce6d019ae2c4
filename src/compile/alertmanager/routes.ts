import { escalationAlertName } from '../../load/checks-playbook.ts';
import type { Platform, Sourced } from '../../model/platform.ts';
import type { Playbook } from '../../model/playbook.ts';
import { seconds, type Duration } from '../../model/duration.ts';
import { ladderFor, remediationLadder, type Digest, type Ladder, type Routing } from '../../model/routing.ts';
import { severities, type Severity } from '../../model/severity.ts';
import type { Team } from '../../model/team.ts';
import { eventSeverities } from '../../model/time-interval.ts';
import { equals, notEquals, oneOf } from './matchers.ts';
import { platformReceivers, teamReceiver, testLabel } from './names.ts';
import type { LabelMatcher, Route } from './types.ts';

/**
 * The route tree: remediation first (continue), then stakeholders for critical (continue),
 * then root → team → severity. Grouped by alert and service (plus environment), so one
 * incident is one notification; each severity has its rung of the escalation ladder.
 */
export function routeTree(platform: Platform): Route {
  const { routing } = platform;
  return {
    receiver: routing?.stakeholders ? platformReceivers.stakeholders : platformReceivers.unrouted,
    group_by: groupBy(routing),
    ...timing(ladderFor(routing, 'warning')),
    routes: [
      ...remediationRoutes(platform),
      ...(routing?.stakeholders
        ? [
            {
              receiver: platformReceivers.stakeholders,
              continue: true,
              matchers: [equals('severity', 'critical')],
              ...timing(ladderFor(routing, 'critical')),
            },
          ]
        : []),
      ...[...platform.teams].sort((a, b) => (a.name < b.name ? -1 : 1)).map((team) => teamRoute(platform, team)),
    ],
  };
}

export const groupBy = (routing: Routing | undefined): string[] => ['alertname', 'service', ...(routing?.environmentLabels ?? [])];

function timing(ladder: Ladder): Pick<Route, 'group_wait' | 'group_interval' | 'repeat_interval'> {
  return { group_wait: ladder.groupWait, group_interval: ladder.groupInterval, repeat_interval: ladder.repeatInterval };
}

/** The matchers of each distinct playbook match, in playbook name order. */
function remediationRoutes(platform: Platform): Route[] {
  if (!platform.config.remediation) return [];
  const distinct = new Map<string, LabelMatcher[]>();
  for (const playbook of [...platform.playbooks].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const matchers = playbookMatchers(playbook);
    distinct.set(JSON.stringify(matchers), matchers);
  }
  return [...distinct.values()].map((matchers) => ({
    receiver: platformReceivers.remediation,
    // Each alert on its own: the receiver acts per alert and dedupes per alert.
    group_by: ['...'],
    continue: true,
    matchers,
    ...timing(remediationLadder),
  }));
}

function playbookMatchers(playbook: Playbook & Sourced): LabelMatcher[] {
  const { alertname, service, severity } = playbook.match;
  return [
    ...(alertname === undefined ? [notEquals('alertname', escalationAlertName)] : [equals('alertname', alertname)]),
    ...(service === undefined ? [] : [equals('service', service)]),
    ...(severity === undefined ? [] : [equals('severity', severity)]),
    // A test alert goes through every notification, but must not restart anything.
    notEquals(testLabel, 'true'),
  ];
}

function teamRoute(platform: Platform, team: Team): Route {
  const { routing } = platform;
  const muted = (routing?.maintenance ?? [])
    .filter((window) => !window.teams || window.teams.includes(team.name))
    .map((window) => window.interval);
  const mute = muted.length > 0 ? { mute_time_intervals: muted } : {};
  const owned = new Set(platform.services.filter((service) => service.team === team.name).map((service) => service.name));
  const events = (routing?.events ?? [])
    .map((event) => ({ event, services: event.services.filter((service) => owned.has(service)) }))
    .filter(({ services }) => services.length > 0)
    .map(({ event, services }) => ({
      receiver: teamReceiver(team.name, 'critical'),
      // Continue: outside the window the route still matches but sends nothing.
      continue: true,
      matchers: [oneOf('service', services), oneOf('severity', eventSeverities)],
      ...timing({ ...ladderFor(routing, 'critical'), groupWait: '0s' }),
      ...mute,
      active_time_intervals: [event.name],
    }));
  const bySeverity = severities.flatMap((severity): Route[] => {
    const receiver = severityReceiver(team, routing, severity);
    if (!receiver) return [];
    const route: Route = {
      receiver,
      matchers: [equals('severity', severity)],
      ...timing(ladderFor(routing, severity)),
      ...(severity === 'critical' ? {} : mute),
    };
    return receiver === platformReceivers.digest && routing?.digest ? digestRoutes(route, routing.digest) : [route];
  });
  return { receiver: teamReceiver(team.name, 'warning'), matchers: [equals('team', team.name)], routes: [...events, ...bySeverity] };
}

/**
 * The digest: delivered during its intervals; with a maximum hold, a second route delivers
 * outside them after at most that long (only one of the two is active at any time).
 */
function digestRoutes(route: Route, digest: Digest): Route[] {
  const { during, maxHold } = digest;
  if (!during) return [maxHold ? { ...route, ...held(route, maxHold) } : route];
  const inHours: Route = { ...route, active_time_intervals: during };
  if (!maxHold) return [inHours];
  const { receiver, ...rest } = inHours;
  return [
    { receiver, continue: true, ...rest },
    { ...route, ...held(route, maxHold), mute_time_intervals: [...(route.mute_time_intervals ?? []), ...during] },
  ];
}

/** group_wait and group_interval no longer than the maximum hold. */
function held(route: Route, maxHold: Duration): Pick<Route, 'group_wait' | 'group_interval'> {
  const shorter = (own: Duration | undefined): Duration => (own !== undefined && seconds(own) < seconds(maxHold) ? own : maxHold);
  return { group_wait: shorter(route.group_wait), group_interval: shorter(route.group_interval) };
}

/** The team's own receiver for a severity; info falls back to the platform digest. */
export function severityReceiver(team: Team, routing: Routing | undefined, severity: Severity): string | undefined {
  if (team.notify[severity]) return teamReceiver(team.name, severity);
  return routing?.digest ? platformReceivers.digest : undefined;
}
