import { emittedAlerts, type EmittedAlert } from '../model/emitted.ts';
import type { Platform, Sourced } from '../model/platform.ts';
import { pagingKinds } from '../model/receiver.ts';
import type { Routing } from '../model/routing.ts';
import type { Team } from '../model/team.ts';
import { eventSeverities, type EventWindow } from '../model/time-interval.ts';
import * as references from '../findings/catalog/references.ts';
import * as routing from '../findings/catalog/routing.ts';
import type { Said } from '../findings/kind.ts';
import { definitionError, type DefinitionError } from './errors.ts';

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
    report(
      definitionError(input.config.source, ['config', 'remediation'], routing.remediationReceiverMissing(playbook.name, playbook.source)),
    );
  }
}

const list = (names: Iterable<string>): string => [...names].sort().join(', ') || 'none';

function checkTeam(input: RoutingInput, team: Team & Sourced, emitted: readonly EmittedAlert[], report: Report): void {
  const fail = (path: string[], said: Said): void => report(definitionError(team.source, [`team "${team.name}"`, ...path], said));
  const receivers = team.receivers;
  for (const [severity, names] of Object.entries(team.notify)) {
    for (const name of names ?? []) {
      if (!(name in receivers)) fail([`notify.${severity}`], references.unknownReceiver(name, Object.keys(receivers)));
    }
  }
  const critical = team.notify.critical.filter((name) => name in receivers);
  if (critical.length === team.notify.critical.length && !critical.some((name) => pagingKinds.includes(receivers[name]!.kind))) {
    fail(['notify.critical'], routing.criticalNotPaging(pagingKinds, list(critical.map((name) => `${name} (${receivers[name]!.kind})`))));
  }
  if (!team.notify.info && !input.routing?.digest) {
    const owned = new Set(input.services.filter((service) => service.team === team.name).map((service) => service.name));
    const info = emitted.filter((alert) => alert.severity === 'info' && owned.has(alert.service));
    if (info.length > 0) {
      fail(['notify.info'], routing.infoWithoutReceiver(list(new Set(info.map((alert) => `${alert.service}: ${alert.alertname}`)))));
    }
  }
}

function checkPolicy(input: RoutingInput, policy: Routing & Sourced, report: Report): void {
  const fail = (path: string[], said: Said): void => report(definitionError(policy.source, ['routing', ...path], said));
  const intervals = new Set(Object.keys(policy.timeIntervals ?? {}));
  const teams = new Set(input.teams.map((team) => team.name));
  const knownInterval = (name: string, path: string[]): void => {
    if (!intervals.has(name)) fail(path, references.unknownTimeInterval(name, intervals));
  };
  for (const name of policy.digest?.during ?? []) knownInterval(name, ['digest.during']);
  const services = new Set(input.services.map((service) => service.name));
  (policy.maintenance ?? []).forEach((window, index) => {
    knownInterval(window.interval, [`maintenance.${index}.interval`]);
    for (const team of window.teams ?? []) if (!teams.has(team)) fail([`maintenance.${index}.teams`], references.unknownTeam(team, teams));
    for (const service of window.services ?? [])
      if (!services.has(service)) fail([`maintenance.${index}.services`], references.unknownService(service, services));
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
      const fail = (path: string[], said: Said): void => report(definitionError(source, [...at, ...path], said));
      if (intervals.has(event.name) || seen.has(event.name)) fail(['name'], routing.eventNameTaken(event.name));
      seen.add(event.name);
      for (const service of event.services) {
        if (!services.has(service)) fail(['services'], references.unknownService(service, services));
        else if (!emitted.some((alert) => alert.service === service && eventSeverities.includes(alert.severity))) {
          fail(['services'], routing.eventCannotPage(service, eventSeverities));
        }
      }
    }
  }
}

function checkEmailNeedsSmtp(input: RoutingInput, report: Report): void {
  if (input.config.alertmanager?.smtp) return;
  const said = routing.emailWithoutSmtp();
  for (const team of input.teams) {
    for (const [name, receiver] of Object.entries(team.receivers)) {
      if (receiver.kind === 'email') report(definitionError(team.source, [`team "${team.name}"`, `receivers.${name}`], said));
    }
  }
  const policy = input.routing;
  if (!policy) return;
  for (const [field, receivers] of [
    ['stakeholders', policy.stakeholders],
    ['digest.receivers', policy.digest?.receivers],
  ] as const) {
    (receivers ?? []).forEach((receiver, index) => {
      if (receiver.kind === 'email') report(definitionError(policy.source, ['routing', `${field}.${index}`], said));
    });
  }
}
