import type { Platform } from '../../model/platform.ts';
import type { FileSet } from '../../output/fileset.ts';
import { generatedHeader, toJson, toYaml } from '../../output/serialize.ts';
import { definedDashboardPath, overviewPath, serviceDashboardPath, sloOverviewPath } from './links.ts';
import { overviewDashboard, sloOverviewDashboard } from './platform-dashboards.ts';
import { dashboardProvisioning, provisioningPath } from './provisioning.ts';
import { serviceDashboard } from './service-dashboard.ts';
import { withoutForcedPlacement } from './sdk-fixes.ts';

/**
 * A dashboard per service in its team's folder, the platform overview and SLO dashboards, the
 * dashboards of `defineDashboard` in their folders, and the provisioning of them all.
 */
export function compileGrafana(platform: Platform): FileSet {
  const files = new Map<string, string>();
  const dashboard = (path: string, json: object): void => void files.set(path, toJson(withoutForcedPlacement(json)));
  for (const service of platform.services) dashboard(serviceDashboardPath(service), serviceDashboard(platform.config, service));
  dashboard(overviewPath, overviewDashboard(platform.playbooks.length > 0));
  dashboard(sloOverviewPath, sloOverviewDashboard());
  for (const defined of platform.dashboards) dashboard(definedDashboardPath(defined), defined.json);
  files.set(provisioningPath, toYaml(dashboardProvisioning(platform.config), generatedHeader([platform.config.source])));
  return files;
}
