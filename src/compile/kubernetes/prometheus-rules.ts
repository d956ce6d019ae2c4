import type { EmittedRuleFile } from '../../model/emitted.ts';
import type { PrometheusOperatorTarget } from '../../model/targets.ts';
import { managedByLabel, objectName, renderObject, type KubernetesFile } from './objects.ts';
import type { Owners } from './owners.ts';

export const prometheusRulePath = (file: string): string => `kubernetes/prometheusrules/${file}.yaml`;

/** One `PrometheusRule` per rule file (per service, and the health score's), its groups unchanged. */
export function prometheusRules(target: PrometheusOperatorTarget, ruleFiles: readonly EmittedRuleFile[], owners: Owners): KubernetesFile[] {
  return ruleFiles.map((file) =>
    renderObject(
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: objectName(file.name), namespace: target.namespace, labels: { ...managedByLabel, ...target.ruleLabels } },
        spec: { groups: file.groups },
      },
      {
        path: prometheusRulePath(file.name),
        owner: owners.of(file.service ?? file.name, 'prometheusOperator'),
      },
      file.sources,
    ),
  );
}
