import type { AlertmanagerSecretTarget } from '../../model/targets.ts';
import { managedByLabel, renderObject, type KubernetesFile } from './objects.ts';
import type { Owners } from './owners.ts';

/** The key prometheus-operator reads the configuration from. */
export const alertmanagerSecretKey = 'alertmanager.yaml';
const secretName = (target: AlertmanagerSecretTarget): string => `alertmanager-${target.name}`;
export const alertmanagerSecretPath = (target: AlertmanagerSecretTarget): string => `kubernetes/alertmanager/${secretName(target)}.yaml`;

/**
 * The whole alertmanager.yml, byte for byte, as the `alertmanager-<name>` Secret that
 * prometheus-operator (kube-prometheus-stack) loads. `stringData`, so a review shows the
 * configuration rather than base64; it holds no secret itself (receivers read `*_file` paths).
 */
export function alertmanagerSecret(
  target: AlertmanagerSecretTarget,
  config: string,
  sources: readonly string[],
  owners: Owners,
): KubernetesFile {
  return renderObject(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secretName(target), namespace: target.namespace, labels: { ...managedByLabel } },
      type: 'Opaque',
      stringData: { [alertmanagerSecretKey]: config },
    },
    {
      path: alertmanagerSecretPath(target),
      owner: owners.config('alertmanagerSecret'),
    },
    sources,
  );
}
