import { createHash } from 'node:crypto';
import { dashboardUidPattern } from '../../derive/dashboard-links.ts';
import { readsPrometheus } from '../../reader/dashboard-datasources.ts';
import { modulesOf } from './code.ts';
import { type ConvertedDashboard, convertDashboard, DashboardRefusal } from './convert-dashboard.ts';
import { type DashboardSource, dashboardFile, exportName, fileStem, metricsFile } from './dashboard-file.ts';
import { folderName } from './inputs.ts';
import { declareMetrics, type MetricDeclaration, type SeriesRead, seriesRead } from './metrics.ts';

// `monforge import` of Grafana dashboards: each dashboard becomes one TypeScript file built
// with the foundation SDK, the metrics they read one shared file. Everything is checked before
// anything is returned: a refusal of one dashboard refuses the import.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface DashboardInput {
  /** The dashboard JSON (the API envelope's `dashboard`). */
  readonly json: Json;
  /** Where it was read, for messages: `nodes.json`, `manifests/grafana.yaml › ConfigMap grafana-dashboard-nodes › nodes.json`. */
  readonly origin: string;
  /** The Grafana folder its source names (a sidecar's folder annotation, a GrafanaDashboard's folder), if any. */
  readonly folder?: string;
}

export interface ImportOptions {
  /** The folder of dashboards whose source names none. */
  readonly folder: string;
  /** The module specifier of monforge in the written files. */
  readonly monforge: string;
  /** Identifiers the metrics may not take (those of other imported files in the same folder). */
  readonly takenNames?: ReadonlySet<string>;
}

export interface ImportedDashboard {
  readonly uid: string;
  readonly title: string;
  /** The written file, relative to the output folder. */
  readonly file: string;
  readonly folder: string;
  /** The dashboard as imported (its uid set when it had none): what generate must give back. */
  readonly original: Json;
  readonly origin: string;
  readonly panels: number;
}

export interface ImportedDashboards {
  /** Relative path → content. */
  readonly files: ReadonlyMap<string, string>;
  readonly dashboards: readonly ImportedDashboard[];
  readonly metrics: readonly MetricDeclaration[];
  /** What a reader should know, one line each: uids given, panels written with the generic builder. */
  readonly notes: readonly string[];
}

/** Why a dashboard is refused: its input (`nodes.json`), what in it (`dashboard "Nodes" › panel 3 "CPU"`), why. */
export interface DashboardProblem {
  readonly origin: string;
  readonly object: string;
  readonly reason: string;
}

export const formatProblem = (problem: DashboardProblem): string => `${problem.origin}: ${problem.object}: ${problem.reason}`;

/** Every dashboard an import refuses, each naming its source, the dashboard and why. */
export class DashboardImportError extends Error {
  constructor(readonly problems: readonly DashboardProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'DashboardImportError';
  }
}

export const metricsFileName = 'dashboard-metrics.ts';

/** A uid from a title (Grafana's limit is 40 characters): `Node Exporter / Nodes` → `node-exporter-nodes`. */
export function uidFromTitle(title: string): string {
  const slug = fileStem(title);
  if (slug.length <= 40) return slug;
  return `${slug.slice(0, 31)}-${createHash('sha256').update(title).digest('hex').slice(0, 8)}`;
}

const countPanels = (json: Json): number =>
  (Array.isArray(json.panels) ? json.panels : [])
    .filter(isObject)
    .reduce<number>((sum, panel) => sum + 1 + (Array.isArray(panel.panels) ? panel.panels.length : 0), 0);

/** A dashboard converted, before its file is written: what the metrics of every import are known from. */
export interface ConvertedInput {
  readonly input: DashboardInput;
  /** The dashboard as imported, its uid set: what generate must give back. */
  readonly original: Json;
  readonly uid: string;
  readonly title: string;
  readonly folder: string;
  readonly result: ConvertedDashboard;
  /** The series its Prometheus queries read, with the labels they match. */
  readonly series: readonly SeriesRead[];
}

/**
 * Converts every input, or throws DashboardImportError with every refusal: a dashboard the SDK
 * cannot build, one uid on two dashboards. A dashboard without uid gets one from its title (a note says so).
 */
export function convertDashboards(inputs: readonly DashboardInput[], folder: string): { converted: ConvertedInput[]; notes: string[] } {
  const problems: DashboardProblem[] = [];
  const notes: string[] = [];
  const seen = new Map<string, string>();
  const converted: ConvertedInput[] = [];
  for (const input of inputs) {
    const title = typeof input.json.title === 'string' && input.json.title.trim() !== '' ? input.json.title : undefined;
    const named = `dashboard "${title ?? '(untitled)'}"`;
    if (!title) {
      problems.push({ origin: input.origin, object: named, reason: 'has no title, which Grafana requires' });
      continue;
    }
    let uid = typeof input.json.uid === 'string' && input.json.uid !== '' ? input.json.uid : undefined;
    if (uid === undefined) {
      uid = uidFromTitle(title);
      notes.push(`${input.origin}: ${named} has no uid: given "${uid}", from its title (Grafana would make up a random one)`);
    } else if (!dashboardUidPattern.test(uid)) {
      problems.push({ origin: input.origin, object: named, reason: `uid ${JSON.stringify(uid)} is not 1–40 letters, digits, "-" or "_"` });
      continue;
    }
    const other = seen.get(uid);
    if (other) {
      problems.push({
        origin: input.origin,
        object: named,
        reason: `uid "${uid}" is also the uid of ${other}: Grafana keeps one dashboard per uid`,
      });
      continue;
    }
    seen.set(uid, `${named} in ${input.origin}`);
    const original = { ...input.json, uid };
    try {
      const result = convertDashboard(original);
      notes.push(...result.notes.map((note) => `${input.origin}: ${named} › ${note}`));
      converted.push({
        input,
        original,
        uid,
        title,
        folder: (input.folder === undefined ? undefined : folderName(input.folder)) ?? folder,
        result,
        series: seriesRead(original, readsPrometheus(original)),
      });
    } catch (error) {
      if (!(error instanceof DashboardRefusal)) throw error;
      problems.push({ origin: input.origin, object: `${named} › ${error.where}`, reason: error.reason });
    }
  }
  if (problems.length > 0) throw new DashboardImportError(problems);
  return { converted, notes };
}

/** What the file of a converted dashboard is made of, its metrics named as the metrics module names them. */
export function dashboardSource(entry: ConvertedInput, metrics: readonly MetricDeclaration[]): DashboardSource {
  const read = new Set(entry.series.map((series) => series.name));
  return {
    title: entry.title,
    origin: entry.input.origin,
    folder: entry.folder,
    builder: entry.result.builder,
    constants: entry.result.constants,
    modules: new Set([...modulesOf(entry.result.builder), ...entry.result.constants.flatMap(([, value]) => [...modulesOf(value)])]),
    metrics: metrics.filter((metric) => metric.series.some((series) => read.has(series))),
  };
}

/** What an import records of a dashboard it wrote, for the proof. */
export const importedDashboard = (entry: ConvertedInput, file: string): ImportedDashboard => ({
  uid: entry.uid,
  title: entry.title,
  file,
  folder: entry.folder,
  original: entry.original,
  origin: entry.input.origin,
  panels: countPanels(entry.original),
});

/** The files of an import of dashboards alone: one per dashboard and the metrics they read. */
export function importDashboards(inputs: readonly DashboardInput[], options: ImportOptions): ImportedDashboards {
  const { converted, notes } = convertDashboards(inputs, options.folder);
  const metrics = declareMetrics(
    converted.map((entry) => ({ dashboard: entry.title, series: entry.series })),
    options.takenNames,
  );
  const names = { monforge: options.monforge, metricsModule: `./${metricsFileName}` };
  const files = new Map<string, string>();
  const stems = new Set<string>();
  const exports = new Set<string>();
  const dashboards: ImportedDashboard[] = [];
  for (const entry of converted) {
    let stem = fileStem(entry.title);
    for (let count = 2; stems.has(stem); count += 1) stem = `${fileStem(entry.title)}-${count}`;
    stems.add(stem);
    let name = exportName(entry.title);
    for (let count = 2; exports.has(name); count += 1) name = `${exportName(entry.title)}${count}`;
    exports.add(name);
    files.set(`${stem}.ts`, dashboardFile(dashboardSource(entry, metrics), names, name));
    dashboards.push(importedDashboard(entry, `${stem}.ts`));
  }
  if (metrics.length > 0) files.set(metricsFileName, metricsFile(metrics, names));
  return { files, dashboards, metrics, notes };
}
