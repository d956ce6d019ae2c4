import type { Severity } from './severity.ts';

/** Receivers of the platform policy; a team's are `<team>-<severity>`, so they never collide. */
export const platformReceivers = {
  stakeholders: 'stakeholders',
  digest: 'digest',
  remediation: 'remediation',
  unrouted: 'unrouted',
} as const;

export const teamReceiver = (team: string, severity: Severity): string => `${team}-${severity}`;
