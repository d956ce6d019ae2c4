import { DefinitionErrors } from '../../load/errors.ts';
import type { EmittedDashboard, EmittedRuleFile } from '../../model/emitted.ts';
import type { Platform } from '../../model/platform.ts';
import type { FileSet } from '../../output/fileset.ts';
import { alertmanagerSecret } from './alertmanager-secret.ts';
import { operatorObjects, sidecarConfigMaps } from './grafana.ts';
import { objectProblems, type KubernetesFile } from './objects.ts';
import { owners } from './owners.ts';
import { prometheusRules } from './prometheus-rules.ts';
import { serviceMonitors } from './service-monitors.ts';

/** What the Kubernetes objects package, compiled by the other compilers (compile/index.ts hands it over). */
export interface KubernetesInputs {
  readonly ruleFiles: readonly EmittedRuleFile[];
  readonly alertmanager: { readonly config: string; readonly sources: readonly string[] };
  readonly dashboards: readonly EmittedDashboard[];
}

/**
 * `kubernetes/`: the objects of every Kubernetes target `defineConfig({ targets })` enables,
 * one per file. Throws DefinitionErrors, each naming the service or config, for an object
 * Kubernetes or the operator would refuse (a bad name, over its size limit).
 */
export function compileKubernetes(platform: Platform, inputs: KubernetesInputs): FileSet {
  const targets = platform.config.targets ?? {};
  const by = owners(platform);
  const files: KubernetesFile[] = [
    ...(targets.prometheusOperator ? prometheusRules(targets.prometheusOperator, inputs.ruleFiles, by) : []),
    ...(targets.prometheusOperator?.serviceMonitors
      ? serviceMonitors(platform, { ...targets.prometheusOperator, serviceMonitors: targets.prometheusOperator.serviceMonitors }, by)
      : []),
    ...(targets.alertmanagerSecret
      ? [alertmanagerSecret(targets.alertmanagerSecret, inputs.alertmanager.config, inputs.alertmanager.sources, by)]
      : []),
    ...(targets.grafanaSidecar ? sidecarConfigMaps(targets.grafanaSidecar, inputs.dashboards, by) : []),
    ...(targets.grafanaOperator ? operatorObjects(targets.grafanaOperator, inputs.dashboards, by) : []),
  ];
  const problems = objectProblems(files);
  if (problems.length > 0) throw new DefinitionErrors(problems);
  return new Map(files.map((file) => [file.path, file.content]));
}
