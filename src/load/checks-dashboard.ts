import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardUidPattern, overviewUid, serviceDashboardUid, sloOverviewUid } from '../derive/dashboard-links.ts';
import type { BuiltDashboard, DashboardDefinition } from '../model/dashboard.ts';
import type { Sourced } from '../model/platform.ts';
import type { Service } from '../model/service.ts';
import { buildFailed, invalidUid, overwritesServiceDashboard, uidTaken, untitled } from '../findings/catalog/dashboards.ts';
import type { Said } from '../findings/kind.ts';
import { definitionError, type DefinitionError } from './errors.ts';

type Report = (error: DefinitionError) => void;
type Defined = DashboardDefinition & Sourced & { readonly exportName: string };

/**
 * Runs each definition's builder and checks what Grafana would refuse or mix up: a uid it does
 * not accept, one uid twice (the second dashboard would overwrite the first), a file that a
 * service dashboard also writes. A dashboard with a problem is left out; every problem is reported.
 */
export function buildDashboards(
  defined: readonly Defined[],
  services: readonly Pick<Service, 'name' | 'team'>[],
  report: Report,
): (BuiltDashboard & Sourced)[] {
  const taken = new Map<string, string>([
    [overviewUid, 'the platform overview'],
    [sloOverviewUid, 'the SLO overview'],
    ...services.map((service): [string, string] => [serviceDashboardUid(service), `the dashboard of service "${service.name}"`]),
  ]);
  const built: (BuiltDashboard & Sourced)[] = [];
  for (const definition of defined) {
    const fail = (path: string[], said: Said): void =>
      report(definitionError(definition.source, [`dashboard (export ${definition.exportName})`, ...path], said));
    let json: Dashboard;
    try {
      const builder = typeof definition.build === 'function' ? definition.build() : definition.build;
      json = (builder as Builder<Dashboard>).build();
    } catch (error) {
      fail(['build'], buildFailed(error instanceof Error ? error.message : String(error)));
      continue;
    }
    if (typeof json !== 'object' || json === null) {
      fail(['build'], buildFailed('it built no dashboard'));
      continue;
    }
    const uid = json.uid;
    if (typeof uid !== 'string' || !dashboardUidPattern.test(uid)) {
      fail(['uid'], invalidUid(uid));
      continue;
    }
    const at = (path: string[], said: Said): void => report(definitionError(definition.source, [`dashboard "${uid}"`, ...path], said));
    if (typeof json.title !== 'string' || json.title.trim() === '') {
      at(['title'], untitled());
      continue;
    }
    const other = taken.get(uid);
    if (other) {
      at(['uid'], uidTaken(other));
      continue;
    }
    taken.set(uid, `dashboard "${uid}" (export ${definition.exportName}) in ${definition.source}`);
    const service = services.find((each) => each.team === definition.folder && each.name === uid);
    if (service) {
      at(['uid'], overwritesServiceDashboard(definition.folder, uid, service.name));
      continue;
    }
    built.push({
      source: definition.source,
      folder: definition.folder,
      uid,
      title: json.title,
      json,
      metrics: definition.metrics ?? [],
    });
  }
  return built;
}
