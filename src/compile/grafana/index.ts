import type { PlatformConfig } from '../../model/config.ts';
import type { Platform } from '../../model/platform.ts';
import type { Service } from '../../model/service.ts';
import { mergeFileSets, type FileSet } from '../../output/fileset.ts';
import { generatedHeader, toJson, toYaml } from '../../output/serialize.ts';
import { definedDashboardPath, overviewPath, serviceDashboardPath, sloOverviewPath } from './links.ts';
import { overviewDashboard, sloOverviewDashboard } from './platform-dashboards.ts';
import { dashboardProvisioning, provisioningPath } from './provisioning.ts';
import { serviceDashboard } from './service-dashboard.ts';
import { withoutForcedPlacement } from './sdk-fixes.ts';

/**
 * A dashboard per service in its team's folder, the platform overview and (with SLOs) SLO dashboards, the
 * dashboards of `defineDashboard` in their folders, and the provisioning of them all.
 */
export function compileGrafana(platform: Platform): FileSet {
  return mergeFileSets(
    ...platform.services.map((service) => grafanaServiceFiles(platform.config, service)),
    grafanaPlatformFiles(platform),
  );
}

/** A service's dashboard: it reads the config and that service only. */
export function grafanaServiceFiles(config: PlatformConfig, service: Service): FileSet {
  return new Map([dashboard(serviceDashboardPath(service), serviceDashboard(config, service))]);
}

/** The overview and (with SLOs) SLO dashboards, those of `defineDashboard`, and the provisioning. */
export function grafanaPlatformFiles(platform: Platform): FileSet {
  const slos = platform.services.some((service) => (service.slos?.length ?? 0) > 0);
  return new Map([
    dashboard(
      overviewPath,
      overviewDashboard({ services: platform.services.length > 0, slos, remediation: platform.playbooks.length > 0 }),
    ),
    ...(slos ? [dashboard(sloOverviewPath, sloOverviewDashboard())] : []),
    ...platform.dashboards.map((defined) => dashboard(definedDashboardPath(defined), defined.json)),
    [provisioningPath, toYaml(dashboardProvisioning(platform.config), generatedHeader([platform.config.source]))],
  ]);
}

const dashboard = (path: string, json: object): [string, string] => [path, toJson(withoutForcedPlacement(json))];
