import type { MaintenanceWindow } from './routing.ts';
import type { Service } from './service.ts';

/** The service and every service that depends on it, directly or through others. */
export function withDependents(services: readonly Pick<Service, 'name' | 'dependsOn'>[], names: readonly string[]): Set<string> {
  const found = new Set(names);
  let grew = true;
  while (grew) {
    grew = false;
    for (const service of services) {
      if (!found.has(service.name) && (service.dependsOn ?? []).some((dependency) => found.has(dependency))) {
        found.add(service.name);
        grew = true;
      }
    }
  }
  return found;
}

/**
 * The intervals that mute a service's non-critical alerts (model/routing.ts MaintenanceWindow),
 * in window order: its team's windows, and those of the services it depends on.
 */
export function maintenanceIntervals(
  windows: readonly MaintenanceWindow[],
  services: readonly Pick<Service, 'name' | 'team' | 'dependsOn'>[],
  service: Pick<Service, 'name' | 'team'>,
): string[] {
  const intervals = windows.filter((window) => {
    if (!window.teams && !window.services) return true;
    return (window.teams ?? []).includes(service.team) || withDependents(services, window.services ?? []).has(service.name);
  });
  return [...new Set(intervals.map((window) => window.interval))];
}
