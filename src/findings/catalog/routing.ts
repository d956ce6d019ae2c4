import { findingKind } from '../kind.ts';

// Routing: teams' receivers, the routing policy, events, the remediation receiver.

export const remediationReceiverMissing = findingKind(
  {
    id: 'routing/remediation-receiver-missing',
    title: 'Playbooks without a remediation receiver',
    cause:
      'Alertmanager sends alerts with a playbook to the remediation receiver; without its address in `defineConfig`, playbooks would never run.',
    fix: 'Set `remediation: { url, credentialsFile }` in `defineConfig(...)`.',
  },
  (playbook: string, source: string) =>
    `Alertmanager must send alerts with a playbook (like "${playbook}" in ${source}) to the remediation receiver: set remediation: { url, credentialsFile }`,
);

export const criticalNotPaging = findingKind(
  {
    id: 'routing/critical-not-paging',
    title: 'Critical alerts that page nobody',
    cause: "Critical means immediate response: a team's critical receivers must include a pager (PagerDuty, or an SMS/pager gateway).",
    fix: "Add a pagerduty or pager receiver to the team's `notify.critical`.",
  },
  (kinds: readonly string[], has: string) => `critical alerts must page the on-call: add a ${kinds.join(' or ')} receiver (has: ${has})`,
);

export const infoWithoutReceiver = findingKind(
  {
    id: 'routing/info-without-receiver',
    title: 'Info alerts with nowhere to go',
    cause: "The team's services have info alerts, but the team has no `notify.info` and the routing policy no digest.",
    fix: 'Set `notify.info`, or a digest in `defineRouting(...)`.',
  },
  (alerts: string) => `info alerts (${alerts}) have no receiver: set notify.info or a digest in defineRouting(...)`,
);

export const eventNameTaken = findingKind(
  {
    id: 'routing/event-name-taken',
    title: 'An event named like a time interval or another event',
    cause: 'Each event becomes an Alertmanager time interval of its name.',
    fix: 'Rename the event.',
  },
  (name: string) => `"${name}" is already the name of a time interval or event`,
);

export const eventCannotPage = findingKind(
  {
    id: 'routing/event-cannot-page',
    title: 'An event service whose alerts can never page through it',
    cause: "During an event, warnings of its services page at once; a service without such alerts makes the event's route dead.",
    fix: 'Give the service an alert at a severity events raise, or remove it from the event.',
  },
  (service: string, severities: readonly string[]) =>
    `service "${service}" has no ${severities.join(' or ')} alert, so the event's paging route can never match it`,
);

export const emailWithoutSmtp = findingKind(
  {
    id: 'routing/email-without-smtp',
    title: 'An e-mail receiver without an SMTP server',
    cause: 'Alertmanager sends e-mail through the SMTP server of its global settings.',
    fix: 'Set `alertmanager: { smtp }` in `defineConfig(...)`.',
  },
  () => 'email needs an SMTP server: set alertmanager: { smtp } in defineConfig(...)',
);

export const scrapeJobTaken = findingKind(
  {
    id: 'scrape/job-taken',
    title: 'Two services under one scrape job',
    cause: "Prometheus refuses two scrape jobs of one name, and each service's rules select on its `job`.",
    fix: 'Give the service its own `job` label, or `scrape: false` if another job scrapes it.',
  },
  (job: string, owner: string) =>
    `scrape job "${job}" is already the job of ${owner}: give the service its own job label, or scrape: false if another job scrapes it`,
);
