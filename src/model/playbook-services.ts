import { emittedAlerts } from './emitted.ts';
import type { Playbook } from './playbook.ts';
import type { Service } from './service.ts';

/** The services whose alerts a playbook handles (a playbook's match may span several), sorted. */
export function playbookServices(playbook: Pick<Playbook, 'match'>, services: readonly Service[]): string[] {
  const { alertname, service, severity } = playbook.match;
  const handled = services.filter((each) =>
    emittedAlerts(each).some(
      (alert) =>
        (alertname ?? alert.alertname) === alert.alertname &&
        (service ?? alert.service) === alert.service &&
        (severity ?? alert.severity) === alert.severity,
    ),
  );
  return handled.map((each) => each.name).sort();
}

/** The rule file of the remediation outcomes is named like a service's, so no service may take this name. */
export const remediationOutcomesName = 'remediation-outcomes';
