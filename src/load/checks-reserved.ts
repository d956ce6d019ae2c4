import { platformHealthName } from '../model/health.ts';
import { remediationOutcomesName } from '../model/playbook-services.ts';
import type { Sourced } from '../model/platform.ts';
import type { Service } from '../model/service.ts';
import { reservedName } from '../findings/catalog/definitions.ts';
import { definitionError, type DefinitionError } from './errors.ts';

/** Names the compilers use for platform-level files, which a service's files would collide with. */
export function checkReservedNames(services: readonly (Service & Sourced)[], report: (error: DefinitionError) => void): void {
  const reserved: Record<string, string> = {
    [platformHealthName]: 'the platform health-score rules',
    [remediationOutcomesName]: 'the remediation outcome rules',
  };
  for (const service of services) {
    const owner = reserved[service.name];
    if (owner) {
      report(definitionError(service.source, [`service "${service.name}"`, 'name'], reservedName(service.name, owner)));
    }
  }
}
