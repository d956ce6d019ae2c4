import type { PlatformConfig } from '../../model/config.ts';

export const provisioningPath = 'grafana/provisioning/dashboards.yml';
export const defaultDashboardsPath = '/var/lib/grafana/dashboards/monforge';

/**
 * One file provider for every generated dashboard. Its directories become folders, so each
 * team's dashboards land in the team's folder and the platform ones in General. Dashboards
 * are code: Grafana may not save UI edits over them, and one whose file is gone (a removed
 * service) is deleted from Grafana too.
 */
export function dashboardProvisioning(config: PlatformConfig): unknown {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'monforge',
        orgId: 1,
        type: 'file',
        disableDeletion: false,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: config.grafanaDashboardsPath ?? defaultDashboardsPath, foldersFromFilesStructure: true },
      },
    ],
  };
}
