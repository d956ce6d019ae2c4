import { findingKind } from '../kind.ts';
import { suggestion } from '../suggest.ts';

// Names that refer to other definitions: teams, services, receivers, time intervals, alerts.

export const unknownTeam = findingKind(
  {
    id: 'references/unknown-team',
    title: 'Unknown team',
    cause: 'A service or a maintenance window names a team that no `defineTeam` exports.',
    fix: 'Use the name of an exported team (the message suggests the closest), or define and export the team.',
  },
  (name: string, known: Iterable<string>) => `unknown team "${name}"${suggestion(name, known)}`,
);

export const unknownService = findingKind(
  {
    id: 'references/unknown-service',
    title: 'Unknown service',
    cause: "A `dependsOn`, a playbook's `match.service`, a maintenance window or an event names a service that no `defineService` exports.",
    fix: 'Use the name of an exported service (the message suggests the closest), or define and export the service.',
  },
  (name: string, known: Iterable<string>) => `unknown service "${name}"${suggestion(name, known)}`,
);

export const unknownReceiver = findingKind(
  {
    id: 'references/unknown-receiver',
    title: 'Unknown receiver',
    cause:
      "A team's `notify` names a receiver that is not among its `receivers`. (With `defineTeam` this does not compile; JavaScript definitions reach the loader.)",
    fix: "Use one of the team's receiver names, or add the receiver.",
  },
  (name: string, known: Iterable<string>) => `unknown receiver "${name}"${suggestion(name, known)}`,
);

export const unknownTimeInterval = findingKind(
  {
    id: 'references/unknown-time-interval',
    title: 'Unknown time interval',
    cause: 'A digest or a maintenance window names a time interval that `defineRouting({ timeIntervals })` does not define.',
    fix: 'Use a defined interval name, or add it to `timeIntervals`.',
  },
  (name: string, known: Iterable<string>) => `unknown time interval "${name}"${suggestion(name, known)}`,
);

export const unknownAlert = findingKind(
  {
    id: 'references/unknown-alert',
    title: 'Unknown alert',
    cause: 'A playbook matches an alert name that no service, policy or SLO generates, so it could never run.',
    fix: 'Use the name of a generated alert (`npx monforge routes` lists them with their labels), or remove the playbook.',
  },
  (name: string, known: Iterable<string>) => `no alert named "${name}" is defined${suggestion(name, known)}`,
);

export const selfDependency = findingKind(
  {
    id: 'references/self-dependency',
    title: 'A service depends on itself',
    cause: '`dependsOn` lists the service itself; its outage alert would inhibit its own alerts.',
    fix: 'Remove the service from its own `dependsOn`.',
  },
  () => 'a service cannot depend on itself',
);

export const dependencyCycle = findingKind(
  {
    id: 'references/dependency-cycle',
    title: 'Services that depend on each other in a circle',
    cause:
      "Each service's outage inhibits the alerts of the services that depend on it: in a circle, one outage would mute every alert of the circle, its own cause included.",
    fix: 'Break the circle: a dependency is what a service cannot work without.',
  },
  (cycle: readonly string[]) => `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`,
);
