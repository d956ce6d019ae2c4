import { sortedLabels, type AlertLabels } from '../../model/emitted.ts';
import type { Platform } from '../../model/platform.ts';
import type { Severity } from '../../model/severity.ts';
import type { Team } from '../../model/team.ts';
import { eventSeverities } from '../../model/time-interval.ts';
import { platformReceivers, teamReceiver, testLabel } from './names.ts';
import { eventSets, maintenanceGroups, severityReceiver, type MaintenanceGroup } from './routes.ts';

/** One `amtool config routes test` case: an alert's labels and the receivers it must reach, in tree order. */
export interface RouteCase {
  readonly labels: AlertLabels;
  readonly receivers: readonly string[];
}

export interface RouteTests {
  /** The configuration the cases are for, relative to this file. */
  readonly config: string;
  readonly cases: readonly RouteCase[];
}

/**
 * The routing policy restated per alert, independently of how the tree is built, so amtool
 * checks the tree against it: every alert the rules emit at every severity it has, plus a
 * `test="true"` copy of each alert with a playbook (test alerts must not reach remediation).
 */
export function routeCases(platform: Platform, alerts: readonly AlertLabels[]): RouteCase[] {
  // A route tree of the definitions brings the cases it was written with (import records them).
  const cases: RouteCase[] = (platform.routeTree?.tests ?? []).map((test) => ({
    labels: sortedLabels(test.labels),
    receivers: test.receivers,
  }));
  // A team's groups are the same for each of its alerts: worked out once, not once per alert.
  const groups = new Map<string, MaintenanceGroup[]>();
  const groupsOf = (team: Team): MaintenanceGroup[] => {
    const found = groups.get(team.name) ?? maintenanceGroups(platform, team);
    groups.set(team.name, found);
    return found;
  };
  for (const labels of alerts) {
    const receivers = expectedReceivers(platform, labels, groupsOf);
    cases.push({ labels, receivers });
    if (receivers.includes(platformReceivers.remediation)) {
      const test = sortedLabels({ ...labels, [testLabel]: 'true' });
      cases.push({ labels: test, receivers: expectedReceivers(platform, test, groupsOf) });
    }
  }
  return cases;
}

function expectedReceivers(platform: Platform, labels: AlertLabels, groupsOf: (team: Team) => MaintenanceGroup[]): string[] {
  const { routing } = platform;
  const severity = labels.severity as Severity;
  const receivers: string[] = [];
  const matches = (match: object): boolean => Object.entries(match).every(([label, value]) => labels[label] === value);
  if (platform.config.remediation && labels[testLabel] !== 'true') {
    // One delivery per distinct playbook match.
    const distinct = new Set(
      platform.playbooks
        .filter((playbook) => matches(playbook.match))
        .map((playbook) => JSON.stringify(Object.entries(playbook.match).sort())),
    );
    receivers.push(...Array.from(distinct, () => platformReceivers.remediation));
  }
  if (severity === 'critical' && routing?.stakeholders) receivers.push(platformReceivers.stakeholders);
  const team = platform.teams.find((each) => each.name === labels.team)!;
  if (eventSeverities.includes(severity)) {
    // One event route per set of services sharing events, among those muted alike.
    const peers = groupsOf(team).find((group) => group.services.includes(labels.service!))?.services ?? [];
    for (const set of eventSets(routing?.events ?? [], peers)) {
      if (set.services.includes(labels.service!)) receivers.push(teamReceiver(team.name, 'critical'));
    }
  }
  const own = severityReceiver(team, routing, severity);
  if (own) receivers.push(own);
  // In and outside the digest's hours: two routes, one active at a time.
  if (own === platformReceivers.digest && routing?.digest?.during && routing.digest.maxHold) receivers.push(own);
  return receivers;
}
