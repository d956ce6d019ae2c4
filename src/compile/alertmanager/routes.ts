import { escalationAlertName } from '../../load/checks-playbook.ts';
import { remediationAlertName } from '../../model/alert-names.ts';
import { handledAlerts, handles } from '../../model/playbook-services.ts';
import type { Platform, Sourced } from '../../model/platform.ts';
import type { Playbook } from '../../model/playbook.ts';
import { seconds, type Duration } from '../../model/duration.ts';
import { ladderFor, remediationLadder, type Digest, type Ladder, type Routing } from '../../model/routing.ts';
import { severities, type Severity } from '../../model/severity.ts';
import type { Team } from '../../model/team.ts';
import { maintenanceIntervals } from '../../model/maintenance.ts';
import { eventSeverities, type EventWindow } from '../../model/time-interval.ts';
import { equals, notEquals, oneOf } from './matchers.ts';
import { platformReceivers, teamReceiver, testLabel } from './names.ts';
import { treeRoute } from './route-tree.ts';
import type { LabelMatcher, Route } from './types.ts';

/**
 * The route tree: remediation first (continue), then stakeholders for critical (continue),
 * then root → team → severity. Grouped by alert and service (plus environment), so one
 * incident is one notification; each severity has its rung of the escalation ladder.
 *
 * With a route tree of the definitions (defineRouteTree), its root is the root: remediation
 * first, then the teams' routing for alerts labelled with a team of the project (its own
 * grouping and timers), then the tree's own routes.
 */
export function routeTree(platform: Platform): Route {
  const own = teamsRoute(platform);
  const tree = platform.routeTree;
  if (!tree) return { ...own, routes: [...remediationRoutes(platform), ...(own.routes ?? [])] };
  const root = treeRoute(tree.route);
  const { receiver, routes, ...rest } = own;
  const teams = (matchers: LabelMatcher[]): Route => ({ receiver, matchers, ...rest, ...(routes && { routes }) });
  const ours = ownAlerts(platform);
  // A playbook's outcome alert is its team's, also for the alerts of a rule group it remediates.
  const outcomes =
    platform.playbooks.length > 0
      ? [
          teams([
            equals('alertname', remediationAlertName),
            oneOf(
              'team',
              platform.teams.map((team) => team.name),
            ),
          ]),
        ]
      : [];
  const remediation = remediationRoutes(platform);
  return {
    ...root,
    routes: [
      ...remediation,
      ...(ours ? [teams(ours)] : []),
      ...outcomes,
      // A matching child route keeps an alert from its parent's receiver, `continue` or not: an
      // alert of the tree's that a playbook handles would reach the remediation receiver alone.
      // Under a child that takes every alert, the tree's routes keep their parent's fallback.
      // Only then: the nesting changes the group key of every alert of the tree.
      ...(remediation.length > 0 && remediatesTreeAlerts(platform)
        ? [{ receiver: root.receiver, ...(root.routes && { routes: root.routes }) }]
        : (root.routes ?? [])),
    ],
  };
}

/**
 * What tells the alerts of the teams' services from the alerts a route tree routes: their team
 * and service labels; undefined without services.
 */
export function ownAlerts(platform: Pick<Platform, 'teams' | 'services'>): LabelMatcher[] | undefined {
  if (platform.services.length === 0) return undefined;
  return [
    oneOf(
      'team',
      platform.teams.map((team) => team.name),
    ),
    oneOf(
      'service',
      platform.services.map((service) => service.name),
    ),
  ];
}

/** The teams' routing under its own root: stakeholders for critical (continue), then team → severity. */
function teamsRoute(platform: Platform): Route {
  const { routing } = platform;
  return {
    receiver: routing?.stakeholders ? platformReceivers.stakeholders : platformReceivers.unrouted,
    group_by: groupBy(routing),
    ...timing(ladderFor(routing, 'warning')),
    routes: [
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
/**
 * Whether a playbook may take an alert the tree routes: one that handles a rule group's alert,
 * or matches no alert name (any alert of a service label or a severity, wherever it comes from).
 */
function remediatesTreeAlerts(platform: Platform): boolean {
  const alerts = handledAlerts(platform).filter((alert) => alert.of === undefined);
  return platform.playbooks.some((playbook) => playbook.match.alertname === undefined || alerts.some((alert) => handles(playbook, alert)));
}

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

/**
 * team → severity. Services muted by other maintenance windows than the team's own (a service
 * under maintenance and the services depending on it) get a route of their own first.
 */
function teamRoute(platform: Platform, team: Team): Route {
  const windows = platform.routing?.maintenance ?? [];
  const teamLevel = maintenanceIntervals(windows, [], { name: '', team: team.name });
  const groups = maintenanceGroups(platform, team);
  // Muted alike, a team's services need no routes of their own.
  const own = (groups.length === 1 ? groups[0] : groups.find((group) => sameList(group.mute, teamLevel))) ?? {
    mute: teamLevel,
    services: [],
  };
  const nested = groups
    .filter((group) => group !== own)
    .map((group) => ({
      receiver: teamReceiver(team.name, 'warning'),
      matchers: [oneOf('service', group.services)],
      routes: groupRoutes(platform, team, group),
    }));
  return {
    receiver: teamReceiver(team.name, 'warning'),
    matchers: [equals('team', team.name)],
    routes: [...nested, ...groupRoutes(platform, team, own)],
  };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((each, index) => each === b[index]);

/** Services of one team that the same maintenance intervals mute. */
export interface MaintenanceGroup {
  readonly mute: string[];
  readonly services: string[];
}

/** A team's services by the maintenance intervals that mute them, in service order. */
export function maintenanceGroups(platform: Platform, team: Pick<Team, 'name'>): MaintenanceGroup[] {
  const windows = platform.routing?.maintenance ?? [];
  const groups: MaintenanceGroup[] = [];
  for (const service of platform.services.filter((each) => each.team === team.name)) {
    const mute = maintenanceIntervals(windows, platform.services, service);
    const group = groups.find((each) => sameList(each.mute, mute));
    if (group) group.services.push(service.name);
    else groups.push({ mute, services: [service.name] });
  }
  return groups;
}

/**
 * The event routes of the services that share a set of events (one route for many events),
 * then one route per severity.
 */
function groupRoutes(platform: Platform, team: Team, group: MaintenanceGroup): Route[] {
  const { routing } = platform;
  const mute = group.mute.length > 0 ? { mute_time_intervals: group.mute } : {};
  const events = eventSets(routing?.events ?? [], group.services).map(({ services, events: names }) => ({
    receiver: teamReceiver(team.name, 'critical'),
    // Continue: outside the window the route still matches but sends nothing.
    continue: true,
    matchers: [oneOf('service', services), oneOf('severity', eventSeverities)],
    ...timing({ ...ladderFor(routing, 'critical'), groupWait: '0s' }),
    ...mute,
    active_time_intervals: names,
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
  return [...events, ...bySeverity];
}

/** Events by the services among `services` they cover: events covering the same ones share a route. */
export function eventSets(events: readonly EventWindow[], services: readonly string[]): { services: string[]; events: string[] }[] {
  const sets: { services: string[]; events: string[] }[] = [];
  for (const event of events) {
    const covered = event.services.filter((service) => services.includes(service));
    if (covered.length === 0) continue;
    const set = sets.find((each) => sameList([...each.services].sort(), [...covered].sort()));
    if (set) set.events.push(event.name);
    else sets.push({ services: covered, events: [event.name] });
  }
  return sets;
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
