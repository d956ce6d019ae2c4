import path from 'node:path';
import type { FieldPath, InputDocument } from '../document.ts';
import type { Conversion, Importer } from '../importer.ts';
import { type ConvertedInput, convertDashboards, type DashboardInput, importedDashboard } from './convert.ts';
import { dashboardModule } from './dashboard-file.ts';
import { dashboardsIn, recogniseDashboards } from './inputs.ts';
import { proveDashboards } from './prove.ts';

// `monforge import` of Grafana dashboards: each dashboard becomes one TypeScript file of the
// foundation SDK's builder calls handed to defineDashboard; the series its queries read are
// declared once in the import's metric catalog. After writing, each generated dashboard is
// compared with its original as Grafana reads both.

/** Where dashboards go whose source names no folder (and no --team is given). */
export const defaultFolder = 'imported';

/** Where a dashboard was read: for refusals (file, line) and for the header of its file. */
interface Place {
  readonly document: InputDocument;
  readonly path: FieldPath;
  /** `ConfigMap grafana-dashboard-nodes › data.nodes.json`; empty for a dashboard file. */
  readonly where: string;
}

export const dashboardsImporter: Importer = {
  name: 'grafana dashboards',
  reads:
    'Grafana dashboard JSON (plain, or in the API envelope { "dashboard": … }), ConfigMaps and GrafanaDashboard objects carrying dashboards',
  recognise: (document) => recogniseDashboards(document.value)?.kind,
  async convert(claimed, context): Promise<Conversion> {
    const places = new Map<DashboardInput, Place>();
    const inputs: DashboardInput[] = [];
    for (const { document } of claimed) {
      // A List's item says where it sits; a document of its own is its file.
      const prefix = document.where.includes('›') ? document.where.replace(/^document( \d+)? › /, '') : '';
      const found = dashboardsIn(document.value, prefix)!;
      for (const problem of found.problems) {
        const line = document.line(problem.path);
        // A block scalar's lines are the file's: the JSON's own line is found there.
        const inText = problem.json && line !== undefined && document.isBlock(problem.path) ? line + problem.json.line : line;
        context.refuse({ file: document.file, line: inText, object: problem.object || 'dashboard', reason: problem.reason });
      }
      for (const dashboard of found.dashboards) {
        const input: DashboardInput = {
          json: dashboard.json,
          origin: [document.file, dashboard.where].filter((part) => part !== '').join(' › '),
          ...(dashboard.folder !== undefined && { folder: dashboard.folder }),
        };
        places.set(input, { document, path: dashboard.path, where: dashboard.where });
        inputs.push(input);
      }
    }
    const { converted, problems, inferred, notes } = convertDashboards(inputs, context.team ?? defaultFolder);
    for (const problem of problems) {
      const place = places.get(problem.input)!;
      context.refuseAt(place.document, place.path, [place.where, problem.object].filter((part) => part !== '').join(' › '), problem.reason);
    }
    for (const line of inferred) context.infer(line);
    for (const line of notes) context.note('dashboards', line);
    for (const entry of converted) {
      const readBy = path.basename(places.get(entry.input)!.document.file);
      for (const series of entry.series)
        context.metrics.use(series.name, series.labels, { counter: series.counter, readBy, reading: true });
    }
    return {
      modules: (write) =>
        converted.map((entry: ConvertedInput) => {
          const place = places.get(entry.input)!;
          const source = write.source(place.document.file);
          return dashboardModule(entry, place.where === '' ? source : `${source} (${place.where})`, write);
        }),
      prove: async (project) => [proveDashboards(converted.map(importedDashboard), project.tree)],
    };
  },
};
