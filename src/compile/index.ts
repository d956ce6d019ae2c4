import type { Platform } from '../model/platform.ts';
import { mergeFileSets, type FileSet } from '../output/fileset.ts';
import { compileAlertmanager } from './alertmanager/index.ts';
import { compileGrafana } from './grafana/index.ts';
import { emittedAlertLabels } from './prometheus/alert-labels.ts';
import { compilePrometheus } from './prometheus/index.ts';
import { compileRemediation } from './remediation/index.ts';
import { compileScrapeConfigs } from './scrape/index.ts';

/**
 * Platform → every generated file, relative to generated/. Pure: no disk, no clock. The one
 * place that joins targets: each compiler reads the model (and src/derive/), never another
 * compiler; what one needs from another's output is handed over here.
 */
export function compile(platform: Platform): FileSet {
  return mergeFileSets(
    compilePrometheus(platform),
    compileRemediation(platform),
    compileGrafana(platform),
    compileAlertmanager(platform, emittedAlertLabels(platform)),
    compileScrapeConfigs(platform),
  );
}
