import { createHash } from 'node:crypto';
import { dashboardFolderUid } from '../../derive/dashboard-links.ts';
import type { EmittedDashboard } from '../../model/emitted.ts';
import type { GrafanaOperatorTarget, GrafanaSidecarTarget } from '../../model/targets.ts';
import { managedByLabel, objectName, renderObject, type KubernetesFile } from './objects.ts';
import type { Owners } from './owners.ts';

/** k8s-sidecar puts a ConfigMap's files into this folder (relative to its dashboards folder). */
export const sidecarFolderAnnotation = 'k8s-sidecar-target-directory';

const within = (dashboard: EmittedDashboard): string => (dashboard.folder ? `${dashboard.folder}/${dashboard.name}` : dashboard.name);
/**
 * `monforge-dashboard-<folder>-<name>`. A dashboard's own uid may hold what object names may
 * not (capitals): such a name is lower-cased and made unique again by the uid's hash.
 */
const dashboardObjectName = (dashboard: EmittedDashboard): string => {
  const safe = /^[a-z0-9_-]+$/.test(dashboard.name)
    ? dashboard.name
    : `${dashboard.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}-${createHash('sha256').update(dashboard.name).digest('hex').slice(0, 8)}`;
  return objectName('dashboard', ...(dashboard.folder ? [dashboard.folder] : []), safe);
};

/**
 * One ConfigMap per dashboard for Grafana's sidecar (kube-prometheus-stack): the label it
 * watches, and the team folder as the annotation that sends the file into that folder.
 */
export function sidecarConfigMaps(target: GrafanaSidecarTarget, dashboards: readonly EmittedDashboard[], owners: Owners): KubernetesFile[] {
  return dashboards.map((dashboard) =>
    renderObject(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: dashboardObjectName(dashboard),
          namespace: target.namespace,
          labels: { ...managedByLabel, [target.label ?? 'grafana_dashboard']: target.labelValue ?? '1' },
          ...(dashboard.folder && { annotations: { [sidecarFolderAnnotation]: dashboard.folder } }),
        },
        data: { [`${dashboard.name}.json`]: dashboard.json },
      },
      {
        path: `kubernetes/grafana-sidecar/${within(dashboard)}.yaml`,
        owner: owners.ofDashboard(dashboard, 'grafanaSidecar'),
      },
      owners.dashboardSources(dashboard),
    ),
  );
}

/** grafana-operator: a GrafanaFolder per team (uid as `monforge apply` uses) and a GrafanaDashboard per dashboard in it. */
export function operatorObjects(target: GrafanaOperatorTarget, dashboards: readonly EmittedDashboard[], owners: Owners): KubernetesFile[] {
  const spec = { instanceSelector: { matchLabels: { ...target.instanceSelector.matchLabels } } };
  const metadata = (name: string) => ({ name, namespace: target.namespace, labels: { ...managedByLabel } });
  const folders = [...new Set(dashboards.flatMap((dashboard) => (dashboard.folder ? [dashboard.folder] : [])))].sort();
  return [
    ...folders.map((folder) =>
      renderObject(
        {
          apiVersion: 'grafana.integreatly.org/v1beta1',
          kind: 'GrafanaFolder',
          metadata: metadata(objectName(folder)),
          spec: { ...spec, title: folder, uid: dashboardFolderUid(folder) },
        },
        {
          path: `kubernetes/grafana-operator/folders/${folder}.yaml`,
          owner: owners.config('grafanaOperator'),
        },
        [],
      ),
    ),
    ...dashboards.map((dashboard) =>
      renderObject(
        {
          apiVersion: 'grafana.integreatly.org/v1beta1',
          kind: 'GrafanaDashboard',
          metadata: metadata(dashboardObjectName(dashboard)),
          spec: { ...spec, ...(dashboard.folder && { folderRef: objectName(dashboard.folder) }), json: dashboard.json },
        },
        {
          path: `kubernetes/grafana-operator/dashboards/${within(dashboard)}.yaml`,
          owner: owners.ofDashboard(dashboard, 'grafanaOperator'),
        },
        owners.dashboardSources(dashboard),
      ),
    ),
  ];
}
