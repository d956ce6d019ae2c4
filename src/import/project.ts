import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { definitionFiles } from '../load/collect.ts';
import { loadPlatform } from '../load/load.ts';
import type { Metric } from '../model/metric.ts';
import type { DeclaredMetric } from './metrics.ts';
import type { Project } from './importer.ts';

const metricKinds = new Set(['counter', 'gauge', 'histogram']);

/**
 * The project an import writes into: its platform (it must load: an import into broken
 * definitions could not be proven) and the metrics its files export, so imported selectors
 * use those declarations instead of declaring the metric a second time.
 */
export async function loadProject(root: string, out: string): Promise<{ project: Project; declared: Map<string, DeclaredMetric> }> {
  const platform = await loadPlatform(root);
  const declared = new Map<string, DeclaredMetric>();
  for (const file of await definitionFiles(root)) {
    // Already imported by loadPlatform: this is the module cache, not a second evaluation.
    const module = (await import(pathToFileURL(path.join(root, file)).href)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(module)) {
      const metric = value as Partial<Metric> | null;
      if (typeof metric !== 'object' || metric === null || !metricKinds.has(String(metric.kind)) || typeof metric.name !== 'string')
        continue;
      if (!declared.has(metric.name)) declared.set(metric.name, { file, exportName, metric: metric as Metric });
    }
  }
  return { project: { root, out, platform }, declared };
}
