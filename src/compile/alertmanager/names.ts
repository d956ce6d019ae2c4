import type { Severity } from '../../model/severity.ts';

export const alertmanagerPath = 'alertmanager/alertmanager.yml';
export const routeTestsPath = 'alertmanager/routes.test.json';

/** Receivers of the platform policy; a team's are `<team>-<severity>`, so they never collide. */
export const platformReceivers = {
  stakeholders: 'stakeholders',
  digest: 'digest',
  remediation: 'remediation',
  unrouted: 'unrouted',
} as const;

export const teamReceiver = (team: string, severity: Severity): string => `${team}-${severity}`;

/** The label Prometheus never sets and `monforge test-alert` does: test alerts run no playbook. */
export const testLabel = 'test';
