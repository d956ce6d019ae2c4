import { findingKind } from '../kind.ts';

// Policies, opt-outs and coverage claims.

export const policyConflict = findingKind(
  {
    id: 'policies/conflict',
    title: 'Two policies set one thing for one tier',
    cause:
      'Which policy applies must never depend on the order files load in: per tier (and for the platform default) one policy per setting.',
    fix: "Move the setting into one policy, or narrow one policy's `tiers`.",
  },
  (first: string, source: string, field: string, scope: string) =>
    `policy "${first}" (${source}) already sets ${field} for ${scope}: one policy per tier and setting`,
);

export const optOutContradiction = findingKind(
  {
    id: 'policies/opt-out-contradiction',
    title: 'An opt-out of something the service has',
    cause: 'The service opts out of a signal it provides (an SLO, an alert that `covers` it): the coverage report would lie.',
    fix: 'Remove the opt-out.',
  },
  (has: string) => `${has}: remove the opt-out`,
);

export const exemptWithoutAbsent = findingKind(
  {
    id: 'policies/exempt-without-absent',
    title: 'Absent exemptions on a service without absent detection',
    cause: 'The service opts out of absent detection, so exempting metrics from it changes nothing.',
    fix: 'Remove `absent.exempt`, or the opt-out.',
  },
  () => 'the service opts out of absent detection: exempting metrics has no effect',
);

export const policyNameTaken = findingKind(
  {
    id: 'policies/name-taken',
    title: "A policy generates an alert with the name of one of the service's own",
    cause: "Two alerts of one name in one service: the policy's and the service's.",
    fix: "Mark the service's alert with `covers` (it then replaces the policy's) or rename it.",
  },
  (policy: string, covers: string) =>
    `policy "${policy}" generates an alert of this name for ${covers}: set covers: '${covers}' on yours, or rename it`,
);
