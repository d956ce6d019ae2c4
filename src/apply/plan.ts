// What `apply` would change, per object: the plan `--dry-run` prints and `apply` carries out.

export type Action = 'create' | 'update' | 'delete' | 'unchanged';

export interface Change {
  readonly action: Action;
  /** `rules/api.rules.yml`, `dashboard svc-api`, `group api-outage`, `reload`. */
  readonly object: string;
  /** Why, when the action alone does not say: `the running configuration differs`. */
  readonly detail?: string;
}

/** One system `apply` deploys to: plans against its current state, carries the plan out and verifies it. */
export interface Deployment {
  /** `prometheus`, `alertmanager`, `grafana`, `ruler`. */
  readonly name: string;
  /** Where: a URL and directory. */
  readonly where: string;
  plan(): Promise<Change[]>;
  /** Makes every change of `plan`; throws an ApplyError when the system refuses. */
  apply(plan: readonly Change[]): Promise<void>;
}

/** The system refused the change or did not take it up (one line; nothing half-done is left behind where it can be undone). */
export class ApplyError extends Error {
  override name = 'ApplyError';
}

export const changes = (plan: readonly Change[]): Change[] => plan.filter((change) => change.action !== 'unchanged');

export function formatPlan(deployment: Pick<Deployment, 'name' | 'where'>, plan: readonly Change[]): string {
  const lines = [`${deployment.name} (${deployment.where}):`];
  for (const change of plan) lines.push(`  ${change.action.padEnd(9)} ${change.object}${change.detail ? `  (${change.detail})` : ''}`);
  if (plan.length === 0) lines.push('  nothing to deploy');
  return lines.join('\n');
}
