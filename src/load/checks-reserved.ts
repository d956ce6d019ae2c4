import { platformHealthName } from '../model/health.ts';
import type { Sourced } from '../model/platform.ts';
import type { Service } from '../model/service.ts';
import type { DefinitionError } from './errors.ts';

/** Names the compilers use for platform-level files, which a service's files would collide with. */
export function checkReservedNames(services: readonly (Service & Sourced)[], report: (error: DefinitionError) => void): void {
  for (const service of services) {
    if (service.name === platformHealthName) {
      report({
        file: service.source,
        path: [`service "${service.name}"`, 'name'],
        message: `"${platformHealthName}" is reserved for the platform health-score rules; choose another name`,
      });
    }
  }
}
