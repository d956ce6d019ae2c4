import { emittedAlerts } from './emitted.ts';
import type { Playbook } from './playbook.ts';
import type { RuleGroup } from './rule-group.ts';
import type { Service } from './service.ts';

/** Who owns alerts a playbook handles: a service of the definitions, or a rule group's service and team. */
export interface AlertOwner {
  readonly service: string;
  readonly team: string;
}

/** An alert a playbook may handle: the labels its match reads, as the alert carries them, and its owner. */
export interface HandledAlert {
  readonly alertname: string;
  /** Its `service` label; a rule group's alerts carry one only when the rule sets it. */
  readonly service: string | undefined;
  readonly severity: string | undefined;
  /** The labels the alert is known to carry (for a service's alerts, the service's selector too), for a verify query's templates. */
  readonly labels: Readonly<Record<string, string>>;
  /** The service of the definitions it is an alert of; none for a rule group's. */
  readonly of?: Service;
  readonly owner: AlertOwner;
}

/**
 * Every alert a playbook could match: the services' (every alert monforge emits for them), and
 * the alerting rules of the rule groups (imported rules among them) with the labels each rule
 * sets (a rule group adds none), owned by their group's service and team.
 */
export function handledAlerts(platform: {
  readonly services: readonly Service[];
  readonly ruleGroups?: readonly RuleGroup[];
}): HandledAlert[] {
  return [
    ...platform.services.flatMap((service) =>
      emittedAlerts(service).map(
        (alert): HandledAlert => ({
          ...alert,
          labels: { ...service.selector, service: service.name, team: service.team },
          of: service,
          owner: { service: service.name, team: service.team },
        }),
      ),
    ),
    ...(platform.ruleGroups ?? []).flatMap((group) =>
      group.rules.flatMap((rule): HandledAlert[] => {
        if (rule.kind !== 'alert') return [];
        // A label templated from the series (`{{ $labels.x }}`) holds whatever the series has.
        const labels = Object.fromEntries(Object.entries(rule.labels ?? {}).filter(([, value]) => !value.includes('{{')));
        const owner = { service: group.service, team: group.team };
        return [{ alertname: rule.name, service: labels.service, severity: labels.severity, labels, owner }];
      }),
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
  for (const alert of alerts) if (handles(playbook, alert)) owners.set(`${alert.owner.service}\0${alert.owner.team}`, alert.owner);
  return [...owners.values()].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.team < b.team ? -1 : 1));
}

/** The services of the definitions whose alerts a playbook handles, sorted. */
export function playbookServices(playbook: Pick<Playbook, 'match'>, services: readonly Service[]): string[] {
  return playbookOwners(playbook, handledAlerts({ services })).map((owner) => owner.service);
}

/** The rule file of the remediation outcomes is named like a service's, so no service may take this name. */
export const remediationOutcomesName = 'remediation-outcomes';
