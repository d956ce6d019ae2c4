import type { Service } from '../../model/service.ts';

export const overviewUid = 'monforge-overview';
export const sloOverviewUid = 'monforge-slos';

export const dashboardsDir = 'grafana/dashboards';
/** Dashboards live in one folder per team (provisioning maps directories to folders). */
export const serviceDashboardPath = (service: Pick<Service, 'name' | 'team'>): string =>
  `${dashboardsDir}/${service.team}/${service.name}.json`;
export const overviewPath = `${dashboardsDir}/overview.json`;
export const sloOverviewPath = `${dashboardsDir}/slos.json`;
