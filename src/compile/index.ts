import type { EmittedDashboard } from '../model/emitted.ts';
import type { Platform } from '../model/platform.ts';
import { mergeFileSets, sortedPaths, type FileSet } from '../output/fileset.ts';
import { alertmanagerSources, compileAlertmanager } from './alertmanager/index.ts';
import { alertmanagerPath } from './alertmanager/names.ts';
import { compileGrafana } from './grafana/index.ts';
import { dashboardsDir } from './grafana/links.ts';
import { compileKubernetes } from './kubernetes/index.ts';
import { compileMimir } from './mimir/index.ts';
import { compileOpenSlo } from './openslo/index.ts';
import { emittedAlertLabels } from './prometheus/alert-labels.ts';
import { compilePrometheus, prometheusRuleFiles } from './prometheus/index.ts';
import { compileRemediation } from './remediation/index.ts';
import { compileScrapeConfigs } from './scrape/index.ts';

/**
 * Platform → every generated file, relative to generated/. Pure: no disk, no clock. The one
 * place that joins targets: each compiler reads the model (and src/derive/), never another
 * compiler; what one needs from another's output is handed over here. The targets of
 * `defineConfig({ targets })` only re-package the other compilers' output, which they never change.
 */
export function compile(platform: Platform): FileSet {
  const core = mergeFileSets(
    compilePrometheus(platform),
    compileRemediation(platform),
    compileGrafana(platform),
    compileAlertmanager(platform, emittedAlertLabels(platform)),
    compileScrapeConfigs(platform),
  );
  const { targets } = platform.config;
  if (!targets) return core;
  const ruleFiles = prometheusRuleFiles(platform);
  const kubernetes = compileKubernetes(platform, {
    ruleFiles,
    alertmanager: { config: core.get(alertmanagerPath)!, sources: alertmanagerSources(platform) },
    dashboards: emittedDashboards(core),
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
