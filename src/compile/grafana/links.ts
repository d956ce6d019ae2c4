import type { Service } from '../../model/service.ts';

export const overviewUid = 'monforge-overview';
export const sloOverviewUid = 'monforge-slos';

/** Dashboards live in one folder per team (provisioning maps directories to folders). */
export const serviceDashboardPath = (service: Pick<Service, 'name' | 'team'>): string =>
  `grafana/dashboards/${service.team}/${service.name}.json`;
export const overviewPath = 'grafana/dashboards/overview.json';
export const sloOverviewPath = 'grafana/dashboards/slos.json';
