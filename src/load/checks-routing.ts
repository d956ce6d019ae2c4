import { emittedAlerts, type EmittedAlert } from '../model/emitted.ts';
import type { Platform, Sourced } from '../model/platform.ts';
import { pagingKinds } from '../model/receiver.ts';
import type { Routing } from '../model/routing.ts';
import type { Team } from '../model/team.ts';
import { eventSeverities, type EventWindow } from '../model/time-interval.ts';
import type { DefinitionError } from './errors.ts';

type Report = (error: DefinitionError) => void;

/** What these checks read of the platform being built. */
export type RoutingInput = Pick<Platform, 'config' | 'teams' | 'services' | 'playbooks' | 'routing'>;

/** Cross-references of teams' notification, the routing policy and the config; zod checked the shapes. */
export function checkRouting(input: RoutingInput, report: Report, fileEvents?: EventSource): void {
  const emitted = input.services.flatMap(emittedAlerts);
  for (const team of input.teams) checkTeam(input, team, emitted, report);
  if (input.routing) checkPolicy(input, input.routing, report);
  const codeEvents: EventSource[] = input.routing
    ? [{ source: input.routing.source, at: ['routing'], events: input.routing.events ?? [] }]
    : [];
  checkEvents(input, [...codeEvents, ...(fileEvents ? [fileEvents] : [])], emitted, report);
  checkEmailNeedsSmtp(input, report);
  const playbook = input.playbooks[0];
  if (playbook && !input.config.remediation) {
    report({
      file: input.config.source,
      path: ['config', 'remediation'],
      message: `Alertmanager must send alerts with a playbook (like "${playbook.name}" in ${playbook.source}) to the remediation receiver: set remediation: { url, credentialsFile }`,
    });
  }
}

const list = (names: Iterable<string>): string => [...names].sort().join(', ') || 'none';

function checkTeam(input: RoutingInput, team: Team & Sourced, emitted: readonly EmittedAlert[], report: Report): void {
  const fail = (path: string[], message: string): void => report({ file: team.source, path: [`team "${team.name}"`, ...path], message });
  const receivers = team.receivers;
  for (const [severity, names] of Object.entries(team.notify)) {
    for (const name of names ?? []) {
      if (!(name in receivers)) fail([`notify.${severity}`], `unknown receiver "${name}" (receivers: ${list(Object.keys(receivers))})`);
    }
  }
  const critical = team.notify.critical.filter((name) => name in receivers);
  if (critical.length === team.notify.critical.length && !critical.some((name) => pagingKinds.includes(receivers[name]!.kind))) {
    fail(
      ['notify.critical'],
      `critical alerts must page the on-call: add a ${pagingKinds.join(' or ')} receiver (has: ${list(critical.map((name) => `${name} (${receivers[name]!.kind})`))})`,
    );
  }
  if (!team.notify.info && !input.routing?.digest) {
    const owned = new Set(input.services.filter((service) => service.team === team.name).map((service) => service.name));
    const info = emitted.filter((alert) => alert.severity === 'info' && owned.has(alert.service));
    if (info.length > 0) {
      fail(
        ['notify.info'],
        `info alerts (${list(new Set(info.map((alert) => `${alert.service}: ${alert.alertname}`)))}) have no receiver: set notify.info or a digest in defineRouting(...)`,
      );
    }
  }
}

function checkPolicy(input: RoutingInput, routing: Routing & Sourced, report: Report): void {
  const fail = (path: string[], message: string): void => report({ file: routing.source, path: ['routing', ...path], message });
  const intervals = new Set(Object.keys(routing.timeIntervals ?? {}));
  const teams = new Set(input.teams.map((team) => team.name));
  const knownInterval = (name: string, path: string[]): void => {
    if (!intervals.has(name)) fail(path, `unknown time interval "${name}" (timeIntervals: ${list(intervals)})`);
  };
  for (const name of routing.digest?.during ?? []) knownInterval(name, ['digest.during']);
  const services = new Set(input.services.map((service) => service.name));
  (routing.maintenance ?? []).forEach((window, index) => {
    knownInterval(window.interval, [`maintenance.${index}.interval`]);
    for (const team of window.teams ?? [])
      if (!teams.has(team)) fail([`maintenance.${index}.teams`], `unknown team "${team}" (known: ${list(teams)})`);
    for (const service of window.services ?? [])
      if (!services.has(service)) fail([`maintenance.${index}.services`], `unknown service "${service}"`);
  });
}

/** Events declared in code (`defineRouting`) or in the events data file, each reported where it is. */
export interface EventSource {
  readonly source: string;
  /** Path before `event "<name>"`: `routing` in code, nothing in the data file. */
  readonly at: readonly string[];
  readonly events: readonly EventWindow[];
}

/** Event names are unique among events and time intervals; their services exist and can page. */
function checkEvents(input: RoutingInput, sources: readonly EventSource[], emitted: readonly EmittedAlert[], report: Report): void {
  const intervals = new Set(Object.keys(input.routing?.timeIntervals ?? {}));
  const services = new Set(input.services.map((service) => service.name));
  const seen = new Set<string>();
  for (const { source, at: prefix, events } of sources) {
    for (const event of events) {
      const at = [...prefix, `event "${event.name}"`];
      const fail = (path: string[], message: string): void => report({ file: source, path: [...at, ...path], message });
      if (intervals.has(event.name) || seen.has(event.name))
        fail(['name'], `"${event.name}" is already the name of a time interval or event`);
      seen.add(event.name);
      for (const service of event.services) {
        if (!services.has(service)) fail(['services'], `unknown service "${service}"`);
        else if (!emitted.some((alert) => alert.service === service && eventSeverities.includes(alert.severity))) {
          fail(
            ['services'],
            `service "${service}" has no ${eventSeverities.join(' or ')} alert, so the event's paging route can never match it`,
          );
        }
      }
    }
  }
}

function checkEmailNeedsSmtp(input: RoutingInput, report: Report): void {
  if (input.config.alertmanager?.smtp) return;
  const message = 'email needs an SMTP server: set alertmanager: { smtp } in defineConfig(...)';
  for (const team of input.teams) {
    for (const [name, receiver] of Object.entries(team.receivers)) {
      if (receiver.kind === 'email') report({ file: team.source, path: [`team "${team.name}"`, `receivers.${name}`], message });
    }
  }
  const routing = input.routing;
  if (!routing) return;
  for (const [field, receivers] of [
    ['stakeholders', routing.stakeholders],
    ['digest.receivers', routing.digest?.receivers],
  ] as const) {
    (receivers ?? []).forEach((receiver, index) => {
      if (receiver.kind === 'email') report({ file: routing.source, path: ['routing', `${field}.${index}`], message });
    });
  }
}
