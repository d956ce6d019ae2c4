import { findingKind } from '../kind.ts';

// Remediation playbooks: what the receiver would run, and whether it could ever run.

export const escalationLoop = findingKind(
  {
    id: 'playbooks/escalation-loop',
    title: "A playbook for the receiver's own escalation alert",
    cause: 'The receiver posts RemediationFailed when a playbook fails; a playbook for it could loop.',
    fix: 'Route RemediationFailed to people, not to a playbook.',
  },
  (alert: string) => `${alert} is the receiver's own escalation alert; a playbook for it could loop`,
);

export const verifyPromql = findingKind(
  {
    id: 'playbooks/verify-promql',
    title: 'A verify query that breaks with some label values',
    cause: 'Label placeholders outside double-quoted strings let a label value change the query (or break it).',
    fix: 'Put every `{{ $labels.x }}` inside a double-quoted string of the query.',
  },
  (error: string) => `invalid PromQL (label placeholders belong inside double-quoted strings): ${error}`,
);

export const verifyInterval = findingKind(
  {
    id: 'playbooks/verify-interval',
    title: 'A verify interval longer than its window',
    cause: 'The receiver checks the query every `interval` until `within` has passed; a longer interval checks once, late.',
    fix: 'Make `interval` at most `within`.',
  },
  (within: string) => `must not exceed verify.within (${within})`,
);

export const execNotAllowed = findingKind(
  {
    id: 'playbooks/exec-not-allowed',
    title: "A program outside the playbook's allowExec",
    cause: 'A playbook runs only the programs it lists in `allowExec`, so a review sees everything it can execute.',
    fix: "Add the program's absolute path to `allowExec` (a security review will see it), or use another action.",
  },
  (program: string, allowed: readonly string[]) => `${program} is not in the playbook's allowExec (${allowed.join(', ') || 'empty'})`,
);

export const invalidUrl = findingKind(
  {
    id: 'playbooks/invalid-url',
    title: 'An HTTP action whose URL is not an absolute http(s) URL',
    cause: 'The URL, with its placeholders filled, must be an absolute http or https URL.',
    fix: 'Write the scheme and host literally: `https://host/path/{{ $labels.x }}`.',
  },
  (url: string) => `${JSON.stringify(url)} is not an absolute http(s) URL`,
);

export const templatedHost = findingKind(
  {
    id: 'playbooks/templated-host',
    title: 'An HTTP action whose host or port comes from a label',
    cause: 'A label would choose where the request goes, and the credentials of its headers with it.',
    fix: 'Write the scheme, host and port literally and put the label in the path or query (`https://host/admin/{{ $labels.service }}`); one action per host when the hosts differ.',
  },
  (url: string) =>
    `${JSON.stringify(url)} takes its host or port from a label: only the path and query may be templated (a label must not choose where the request and its headers go)`,
);

export const unsupportedTemplate = findingKind(
  {
    id: 'playbooks/unsupported-template',
    title: 'A placeholder playbooks do not support',
    cause: 'Actions and verify queries take only `{{ $labels.<name> }}`: anything else (functions, `$value`) would be sent as written.',
    fix: 'Use `{{ $labels.<name> }}` placeholders only.',
  },
  (placeholder: string) => `unsupported template ${placeholder}: only {{ $labels.<name> }} is allowed`,
);

export const neverRuns = findingKind(
  {
    id: 'playbooks/never-runs',
    title: 'A playbook whose match selects no alert',
    cause: 'No alert the platform generates has the alertname, service and severity the playbook matches, so it could never run.',
    fix: 'Match an alert that exists (`npx monforge routes` lists them), or remove the playbook.',
  },
  (match: string) => `no alert has ${match}: the playbook could never run`,
);
