import type { Service } from '../../model/service.ts';

export const dashboardsDir = 'grafana/dashboards';
/** Dashboards live in one folder per team (provisioning maps directories to folders). */
export const serviceDashboardPath = (service: Pick<Service, 'name' | 'team'>): string =>
  `${dashboardsDir}/${service.team}/${service.name}.json`;
export const overviewPath = `${dashboardsDir}/overview.json`;
export const sloOverviewPath = `${dashboardsDir}/slos.json`;
/** A `defineDashboard` dashboard: its folder, by its uid. */
export const definedDashboardPath = (dashboard: { readonly folder: string; readonly uid: string }): string =>
  `${dashboardsDir}/${dashboard.folder}/${dashboard.uid}.json`;
