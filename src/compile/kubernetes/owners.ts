import type { DefinitionError } from '../../load/errors.ts';
import type { Platform } from '../../model/platform.ts';
import type { Targets } from '../../model/targets.ts';

/** Who answers for an object: the service it renders (by name), else the config that enabled the target. */
export interface Owners {
  /** The service called `name`, or the config when there is none (the platform-wide files). */
  of(name: string, target: keyof Targets): Pick<DefinitionError, 'file' | 'path'>;
  config(target: keyof Targets): Pick<DefinitionError, 'file' | 'path'>;
  /** The definition file of the service called `name`, if there is one: the header of its objects. */
  sources(name: string): string[];
}

export function owners(platform: Pick<Platform, 'config' | 'services'>): Owners {
  const services = new Map(platform.services.map((service) => [service.name, service]));
  const config = (target: keyof Targets) => ({ file: platform.config.source, path: ['config', 'targets', target] });
  return {
    of(name, target) {
      const service = services.get(name);
      return service ? { file: service.source, path: [`service "${service.name}"`, `targets.${target}`] } : config(target);
    },
    config,
    sources: (name) => {
      const service = services.get(name);
      return service ? [service.source] : [];
    },
  };
}
