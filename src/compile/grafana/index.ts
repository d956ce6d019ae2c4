import type { Platform } from '../../model/platform.ts';
import type { FileSet } from '../../output/fileset.ts';
import { generatedHeader, toJson, toYaml } from '../../output/serialize.ts';
import { overviewPath, serviceDashboardPath, sloOverviewPath } from './links.ts';
import { overviewDashboard, sloOverviewDashboard } from './platform-dashboards.ts';
import { dashboardProvisioning, provisioningPath } from './provisioning.ts';
import { serviceDashboard } from './service-dashboard.ts';

/** A dashboard per service in its team's folder, the platform overview and SLO dashboards, and their provisioning. */
export function compileGrafana(platform: Platform): FileSet {
  const files = new Map<string, string>();
  for (const service of platform.services) files.set(serviceDashboardPath(service), toJson(serviceDashboard(platform.config, service)));
  files.set(overviewPath, toJson(overviewDashboard(platform.playbooks.length > 0)));
  files.set(sloOverviewPath, toJson(sloOverviewDashboard()));
  files.set(provisioningPath, toYaml(dashboardProvisioning(platform.config), generatedHeader([platform.config.source])));
  return files;
}
