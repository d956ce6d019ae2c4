import { createHash } from 'node:crypto';
import type { PlatformConfig } from '../model/config.ts';
import type { Service } from '../model/service.ts';
import { alertPanelId, serviceLayout, type AlertIdentity } from './dashboard-layout.ts';

// Where a service's dashboard lives in Grafana: the Grafana compiler gives the dashboard this
// uid, the Prometheus compiler points each alert's `dashboard` annotation at it.

/** Grafana dashboard uids are at most 40 characters of [A-Za-z0-9_-]. */
const maxUid = 40;
export const dashboardUidPattern = /^[A-Za-z0-9_-]{1,40}$/;

/** The uids of the platform dashboards (overview.json, slos.json). */
export const overviewUid = 'monforge-overview';
export const sloOverviewUid = 'monforge-slos';

/**
 * A stable uid from the service name, so links and bookmarks survive regeneration. The
 * prefix keeps service uids apart from the platform dashboards' (a service may be called
 * "overview").
 */
export function serviceDashboardUid(service: Pick<Service, 'name'>): string {
  return boundedUid('svc-', service.name);
}

/** What every folder uid of ours starts with: `monforge apply` takes the dashboards in them for its own. */
export const folderUidPrefix = 'monforge-';

/** The uid of a team's dashboard folder in Grafana (`monforge apply`, grafana-operator's GrafanaFolder). */
export function dashboardFolderUid(team: string): string {
  return boundedUid(folderUidPrefix, team);
}

/** `<prefix><name>`, or when too long for the limit, shortened and made unique by the name's hash. */
function boundedUid(prefix: string, name: string): string {
  const uid = `${prefix}${name}`;
  if (uid.length <= maxUid) return uid;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${uid.slice(0, maxUid - hash.length - 1)}-${hash}`;
}

/**
 * The links of a service's alerts: `https://grafana.example.com/d/svc-api/api?viewPanel=7`
 * opens the alert's panel on its own. Undefined without a Grafana URL.
 */
export function alertDashboardLinker(config: PlatformConfig, service: Service): ((alert: AlertIdentity) => string) | undefined {
  if (!config.grafanaBaseUrl) return undefined;
  const base = `${config.grafanaBaseUrl.replace(/\/+$/, '')}/d/${serviceDashboardUid(service)}/${service.name}`;
  const layout = serviceLayout(service);
  return (alert) => {
    const panel = alertPanelId(layout, alert);
    return panel === undefined ? base : `${base}?viewPanel=${panel}`;
  };
}
