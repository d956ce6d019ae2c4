import type { Service } from '../model/service.ts';
import type { Sourced } from '../model/platform.ts';
import { duplicateName } from '../findings/catalog/definitions.ts';
import * as references from '../findings/catalog/references.ts';
import { definitionError, type DefinitionError } from './errors.ts';

type Report = (error: DefinitionError) => void;

/** Names that must be unique: a second `name` is reported where it is defined. */
export function checkUnique<T extends Sourced & { name: string }>(
  items: readonly T[],
  describe: (item: T) => string[],
  what: string,
  report: Report,
): void {
  const first = new Map<string, T>();
  for (const item of items) {
    const earlier = first.get(item.name);
    if (earlier) report(definitionError(item.source, describe(item), duplicateName(what, item.name, earlier.source)));
    else first.set(item.name, item);
  }
}

/** Owning teams exist; `dependsOn` names existing services and has no cycle. */
export function checkReferences(teams: readonly string[], services: readonly (Service & Sourced)[], report: Report): void {
  const teamNames = new Set(teams);
  const byName = new Map(services.map((service) => [service.name, service]));
  for (const service of services) {
    const at = [`service "${service.name}"`];
    if (!teamNames.has(service.team)) {
      report(definitionError(service.source, [...at, 'team'], references.unknownTeam(service.team, teamNames)));
    }
    for (const dependency of service.dependsOn ?? []) {
      if (dependency === service.name) report(definitionError(service.source, [...at, 'dependsOn'], references.selfDependency()));
      else if (!byName.has(dependency))
        report(definitionError(service.source, [...at, 'dependsOn'], references.unknownService(dependency, byName.keys())));
    }
  }
  for (const cycle of dependencyCycles(services)) {
    const service = byName.get(cycle[0]!)!;
    report(definitionError(service.source, [`service "${service.name}"`, 'dependsOn'], references.dependencyCycle(cycle)));
  }
}

/** Cycles found by one depth-first walk (each node explored once), each from its alphabetically first service. */
function dependencyCycles(services: readonly Service[]): string[][] {
  const edges = new Map(services.map((service) => [service.name, [...(service.dependsOn ?? [])].sort()]));
  const cycles = new Map<string, string[]>();
  const explored = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    const at = trail.indexOf(name);
    if (at >= 0) {
      const cycle = trail.slice(at);
      const start = cycle.indexOf([...cycle].sort()[0]!);
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      cycles.set(rotated.join('\0'), rotated);
      return;
    }
    if (explored.has(name)) return;
    for (const next of edges.get(name) ?? []) if (edges.has(next) && next !== name) visit(next, [...trail, name]);
    explored.add(name);
  };
  for (const name of [...edges.keys()].sort()) visit(name, []);
  return [...cycles.values()].sort((a, b) => a.join().localeCompare(b.join()));
}
