import type { DefinitionError } from '../../load/errors.ts';
import type { EmittedDashboard } from '../../model/emitted.ts';
import type { Platform } from '../../model/platform.ts';
import type { Targets } from '../../model/targets.ts';

/** Who answers for an object: the service it renders (by name), else the config that enabled the target. */
export interface Owners {
  /** The service called `name`, or the config when there is none (the platform-wide files). */
  of(name: string, target: keyof Targets): Pick<DefinitionError, 'file' | 'path'>;
  config(target: keyof Targets): Pick<DefinitionError, 'file' | 'path'>;
  /** The definition file of the service called `name`, if there is one: the header of its objects. */
  sources(name: string): string[];
  /** A dashboard's definition: its `defineDashboard`, else the service it shows, else the config. */
  ofDashboard(dashboard: EmittedDashboard, target: keyof Targets): Pick<DefinitionError, 'file' | 'path'>;
  dashboardSources(dashboard: EmittedDashboard): string[];
}

export function owners(platform: Pick<Platform, 'config' | 'services' | 'dashboards'>): Owners {
  const services = new Map(platform.services.map((service) => [service.name, service]));
  const config = (target: keyof Targets) => ({ file: platform.config.source, path: ['config', 'targets', target] });
  const defined = (dashboard: EmittedDashboard) =>
    platform.dashboards.find((each) => each.folder === dashboard.folder && each.uid === dashboard.name);
  const of = (name: string, target: keyof Targets) => {
    const service = services.get(name);
    return service ? { file: service.source, path: [`service "${service.name}"`, `targets.${target}`] } : config(target);
  };
  const sources = (name: string) => {
    const service = services.get(name);
    return service ? [service.source] : [];
  };
  return {
    of,
    config,
    sources,
    ofDashboard(dashboard, target) {
      const own = defined(dashboard);
      return own ? { file: own.source, path: [`dashboard "${own.uid}"`, `targets.${target}`] } : of(dashboard.name, target);
    },
    dashboardSources: (dashboard) => {
      const own = defined(dashboard);
      return own ? [own.source] : sources(dashboard.name);
    },
  };
}
