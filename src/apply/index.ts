import type { GeneratedTree } from '../reader/types.ts';
import { alertmanagerDeployment, type AlertmanagerTarget } from './alertmanager.ts';
import { grafanaDeployment, type GrafanaTarget } from './grafana.ts';
import { HttpError, type HttpLimits } from '../process/http.ts';
import { ApplyError, changes, formatPlan, type Deployment } from './plan.ts';
import { prometheusDeployment, type PrometheusTarget } from './prometheus.ts';
import { rulerDeployment, type RulerTarget } from './ruler.ts';

export interface ApplyOptions {
  /** Print the plan and change nothing. */
  readonly dryRun: boolean;
  readonly prometheus?: PrometheusTarget;
  readonly alertmanager?: AlertmanagerTarget;
  readonly grafana?: GrafanaTarget;
  readonly ruler?: RulerTarget;
  readonly limits: HttpLimits;
}

/**
 * Deploys a generated tree to every system named in `options`: plan, carry the plan out,
 * then plan again, which must find nothing left to change (the verification: the running
 * rules and configuration are read back from each system). A system that fails does not stop
 * the others. Returns whether every one is up to date.
 */
export async function applyTree(tree: GeneratedTree, options: ApplyOptions, log: (line: string) => void): Promise<boolean> {
  const deployments: (() => Deployment)[] = [
    ...(options.prometheus ? [() => prometheusDeployment(tree, options.prometheus!, options.limits)] : []),
    ...(options.alertmanager ? [() => alertmanagerDeployment(tree, options.alertmanager!, options.limits)] : []),
    ...(options.grafana ? [() => grafanaDeployment(tree, options.grafana!, options.limits)] : []),
    ...(options.ruler ? [() => rulerDeployment(tree, options.ruler!, options.limits)] : []),
  ];
  let ok = true;
  for (const create of deployments) {
    let name = 'apply';
    try {
      const deployment = create();
      name = deployment.name;
      const plan = await deployment.plan();
      log(formatPlan(deployment, plan));
      const todo = changes(plan);
      if (options.dryRun) continue;
      if (todo.length === 0) {
        log(`${name}: up to date, nothing changed`);
        continue;
      }
      await deployment.apply(plan);
      const left = changes(await deployment.plan());
      if (left.length > 0)
        throw new ApplyError(`still differs after apply: ${left.map((change) => `${change.action} ${change.object}`).join(', ')}`);
      log(`${name}: ${todo.length} change${todo.length === 1 ? '' : 's'} applied and verified`);
    } catch (error) {
      if (!(error instanceof ApplyError || error instanceof HttpError)) throw error;
      log(`${name}: ${error.message}`);
      ok = false;
    }
  }
  return ok;
}
