import type { PlatformConfig } from '../model/config.ts';
import type { AlertLabels, EmittedDashboard } from '../model/emitted.ts';
import type { Platform, Sourced } from '../model/platform.ts';
import type { Service } from '../model/service.ts';
import { mergeFileSets, sortedPaths, type FileSet } from '../output/fileset.ts';
import { alertmanagerSources, compileAlertmanager } from './alertmanager/index.ts';
import { alertmanagerPath } from './alertmanager/names.ts';
import { grafanaPlatformFiles, grafanaServiceFiles } from './grafana/index.ts';
import { dashboardsDir } from './grafana/links.ts';
import { compileKubernetes } from './kubernetes/index.ts';
import { compileMimir } from './mimir/index.ts';
import { compileOpenSlo } from './openslo/index.ts';
import { emittedAlertLabels, serviceAlertLabels } from './prometheus/alert-labels.ts';
import {
  healthFilesInput,
  healthScoreFiles,
  prometheusPlatformFiles,
  prometheusRuleFiles,
  prometheusServiceFiles,
  type HealthCompiler,
} from './prometheus/index.ts';
import { compileRemediation } from './remediation/index.ts';
import { scrapePlatformFiles, scrapeServiceFiles } from './scrape/index.ts';

/**
 * Platform → every generated file, relative to generated/. Pure: no disk, no clock. The one
 * place that joins targets: each compiler reads the model (and src/derive/), never another
 * compiler; what one needs from another's output is handed over here. The targets of
 * `defineConfig({ targets })` only re-package the other compilers' output, which they never change.
 */
export function compile(platform: Platform): FileSet {
  return mergeFileSets(...compileParts(platform));
}

/** One service's files, and the labels of its alerts (the Alertmanager compiler writes a route test for each). */
export interface ServiceOutput {
  readonly files: FileSet;
  readonly alertLabels: readonly AlertLabels[];
}

/** How a caller compiles one service: `compileService`, or a cache of it (generate --watch, cache/compiled-files.ts). */
export type ServiceCompiler = (config: PlatformConfig & Sourced, service: Service & Sourced) => ServiceOutput;

/** How a caller compiles the parts that may come from elsewhere (a cache): each service, the health score's files. */
export interface PartCompilers {
  readonly service?: ServiceCompiler;
  readonly health?: HealthCompiler;
}

/**
 * The files of `compile`, a part at a time, so that a caller can write each part and drop it
 * (generate never holds every file at once): each service's files, then those of the whole
 * platform. No two parts hold the same path.
 */
export function* compileParts(platform: Platform, compilers: PartCompilers = {}): Generator<FileSet> {
  const compiled = compilers.service ?? compileService;
  // The Kubernetes targets package every dashboard, the services' among them.
  const dashboards = platform.config.targets ? new Map<string, string>() : undefined;
  const alertLabels = new Map<Service, readonly AlertLabels[]>();
  for (const service of platform.services) {
    const output = compiled(platform.config, service);
    // By path first: a part taken from generated/ reads a file's text only when asked (cache/kept-files.ts).
    if (dashboards)
      for (const path of output.files.keys()) if (path.startsWith(`${dashboardsDir}/`)) dashboards.set(path, output.files.get(path)!);
    alertLabels.set(service, output.alertLabels);
    yield output.files;
  }
  // A part of its own: taken from generated/, its 4 MB at a thousand services are never read.
  yield (compilers.health ?? healthScoreFiles)(healthFilesInput(platform));
  yield compilePlatformFiles(platform, dashboards ?? new Map(), (service) => alertLabels.get(service)!);
}

/**
 * One service's files of every target. They read the config and that service only (its
 * policy alerts are in it since loading), never another service: generate --watch relies on
 * it to keep the files of a service whose definition did not change.
 */
export function compileService(config: PlatformConfig & Sourced, service: Service & Sourced): ServiceOutput {
  return {
    files: mergeFileSets(prometheusServiceFiles(config, service), grafanaServiceFiles(config, service), scrapeServiceFiles(service)),
    alertLabels: serviceAlertLabels(config, service),
  };
}

/** A service's output with the objects it was compiled from. */
export interface CompiledService {
  readonly config: PlatformConfig;
  readonly service: Service;
  readonly output: ServiceOutput;
}

/**
 * compileService, except that a service compiled before (in `earlier`, by name) from the very
 * same config and service objects gives the files it gave then: the loader hands out the same
 * objects for definitions that did not change (load/memo.ts), and compileService reads nothing
 * else. Every service compiled or taken is noted in `now`.
 */
export function reusingCompiler(earlier: ReadonlyMap<string, CompiledService>, now: Map<string, CompiledService>): ServiceCompiler {
  return (config, service) => {
    const before = earlier.get(service.name);
    const compiled =
      before?.config === config && before.service === service ? before : { config, service, output: compileService(config, service) };
    now.set(service.name, compiled);
    return compiled.output;
  };
}

/** The files that read the whole platform, and the targets' packages; `serviceDashboards` are the services' dashboard files. */
function compilePlatformFiles(
  platform: Platform,
  serviceDashboards: FileSet,
  serviceAlerts: (service: Service) => readonly AlertLabels[],
): FileSet {
  const core = mergeFileSets(
    prometheusPlatformFiles(platform),
    compileRemediation(platform),
    grafanaPlatformFiles(platform),
    compileAlertmanager(platform, emittedAlertLabels(platform, serviceAlerts)),
    scrapePlatformFiles(platform),
  );
  const { targets } = platform.config;
  if (!targets) return core;
  const ruleFiles = prometheusRuleFiles(platform);
  const kubernetes = compileKubernetes(platform, {
    ruleFiles,
    alertmanager: { config: core.get(alertmanagerPath)!, sources: alertmanagerSources(platform) },
    dashboards: emittedDashboards(mergeFileSets(serviceDashboards, core)),
  });
  return mergeFileSets(
    core,
    kubernetes,
    targets.mimir ? compileMimir(targets.mimir, ruleFiles) : new Map(),
    targets.openslo ? compileOpenSlo(platform) : new Map(),
  );
}

/** The Grafana compiler's dashboards, as written: `grafana/dashboards/<team>/<name>.json` or `grafana/dashboards/<name>.json`. */
function emittedDashboards(files: FileSet): EmittedDashboard[] {
  return sortedPaths(files).flatMap((path) => {
    const match = new RegExp(`^${dashboardsDir}/(?:([^/]+)/)?([^/]+)\\.json$`).exec(path);
    return match ? [{ folder: match[1], name: match[2]!, json: files.get(path)! }] : [];
  });
}
