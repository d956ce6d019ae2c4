import { emittedAlerts } from './emitted.ts';
import type { Playbook } from './playbook.ts';
import type { RuleGroup } from './rule-group.ts';
import type { Service } from './service.ts';

/** An alert a playbook may handle, by the labels its match reads, with the team that owns it. */
export interface HandledAlert {
  readonly alertname: string;
  readonly service: string;
  readonly team: string;
  readonly severity: string | undefined;
}

/** Who owns alerts a playbook handles: a service of the definitions, or a rule group's service. */
export interface AlertOwner {
  readonly service: string;
  readonly team: string;
}

/**
 * Every alert a playbook could match: the services' (every alert monforge emits for them), and
 * the alerting rules of the rule groups (imported rules among them), under their group's
 * service and team.
 */
export function handledAlerts(platform: {
  readonly services: readonly Service[];
  readonly ruleGroups?: readonly RuleGroup[];
}): HandledAlert[] {
  return [
    ...platform.services.flatMap((service) => emittedAlerts(service).map((alert) => ({ ...alert, team: service.team }))),
    ...(platform.ruleGroups ?? []).flatMap((group) =>
      group.rules.flatMap((rule) =>
        rule.kind === 'alert' ? [{ alertname: rule.name, service: group.service, team: group.team, severity: rule.labels?.severity }] : [],
      ),
    ),
  ];
}

/** Whether a playbook's match selects the alert. */
export function handles(playbook: Pick<Playbook, 'match'>, alert: HandledAlert): boolean {
  const { alertname, service, severity } = playbook.match;
  return (
    (alertname ?? alert.alertname) === alert.alertname &&
    (service ?? alert.service) === alert.service &&
    (severity ?? alert.severity) === alert.severity
  );
}

/** The owners of the alerts a playbook handles (a playbook's match may span several), sorted by service. */
export function playbookOwners(playbook: Pick<Playbook, 'match'>, alerts: readonly HandledAlert[]): AlertOwner[] {
  const owners = new Map<string, AlertOwner>();
  for (const alert of alerts)
    if (handles(playbook, alert)) owners.set(`${alert.service}\0${alert.team}`, { service: alert.service, team: alert.team });
  return [...owners.values()].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.team < b.team ? -1 : 1));
}

/** The services of the definitions whose alerts a playbook handles, sorted. */
export function playbookServices(playbook: Pick<Playbook, 'match'>, services: readonly Service[]): string[] {
  return playbookOwners(playbook, handledAlerts({ services })).map((owner) => owner.service);
}

/** The rule file of the remediation outcomes is named like a service's, so no service may take this name. */
export const remediationOutcomesName = 'remediation-outcomes';
