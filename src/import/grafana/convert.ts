import { createHash } from 'node:crypto';
import { dashboardUidPattern } from '../../derive/dashboard-links.ts';
import { readsPrometheus } from '../../reader/dashboard-datasources.ts';
import { type ConvertedDashboard, convertDashboard, DashboardRefusal } from './convert-dashboard.ts';
import { fileStem } from './dashboard-file.ts';
import { folderName } from './inputs.ts';
import { type SeriesRead, seriesRead } from './metrics.ts';

// The dashboards of an import, converted together: each needs a title, a uid Grafana takes (one
// from its title when it has none) that no other dashboard has, and builder calls the SDK can
// make. Every problem of every dashboard is found before anything is written.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface DashboardInput {
  /** The dashboard JSON (the API envelope's `dashboard`). */
  readonly json: Json;
  /** Where it was read, for messages: `nodes.json`, `manifests/grafana.yaml › ConfigMap grafana-dashboard-nodes › data.nodes.json`. */
  readonly origin: string;
  /** The Grafana folder its source names (a sidecar's folder annotation, a GrafanaDashboard's folder), if any. */
  readonly folder?: string;
}

/** Why a dashboard is refused: its input, what in it (`dashboard "Nodes" › panel 3 "CPU"`), why. */
export interface DashboardProblem {
  readonly input: DashboardInput;
  readonly object: string;
  readonly reason: string;
}

export const formatProblem = (problem: DashboardProblem): string => `${problem.input.origin}: ${problem.object}: ${problem.reason}`;

/** A dashboard converted, before its file is written. */
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

export interface ConvertedDashboards {
  readonly converted: readonly ConvertedInput[];
  readonly problems: readonly DashboardProblem[];
  /** Uids given from titles, one line each. */
  readonly inferred: readonly string[];
  /** What a reader should know: fields left out, panels written with the generic builder. */
  readonly notes: readonly string[];
}

/** A uid from a title (Grafana's limit is 40 characters): `Node Exporter / Nodes` → `node-exporter-nodes`. */
export function uidFromTitle(title: string): string {
  const slug = fileStem(title);
  if (slug.length <= 40) return slug;
  return `${slug.slice(0, 31)}-${createHash('sha256').update(title).digest('hex').slice(0, 8)}`;
}

/**
 * Converts every input, and finds every problem: a dashboard without title, a uid Grafana does not
 * take, one uid on two dashboards, a dashboard the SDK cannot build. `folder` is where dashboards
 * go whose source names no folder.
 */
export function convertDashboards(inputs: readonly DashboardInput[], folder: string): ConvertedDashboards {
  const problems: DashboardProblem[] = [];
  const inferred: string[] = [];
  const notes: string[] = [];
  const seen = new Map<string, string>();
  const converted: ConvertedInput[] = [];
  for (const input of inputs) {
    const title = typeof input.json.title === 'string' && input.json.title.trim() !== '' ? input.json.title : undefined;
    const named = `dashboard "${title ?? '(untitled)'}"`;
    if (!title) {
      problems.push({ input, object: named, reason: 'has no title, which Grafana requires' });
      continue;
    }
    let uid = typeof input.json.uid === 'string' && input.json.uid !== '' ? input.json.uid : undefined;
    if (uid === undefined) {
      uid = uidFromTitle(title);
      inferred.push(`${input.origin}: ${named} has no uid: given "${uid}", from its title (Grafana would make up a random one)`);
    } else if (!dashboardUidPattern.test(uid)) {
      problems.push({ input, object: named, reason: `uid ${JSON.stringify(uid)} is not 1–40 letters, digits, "-" or "_"` });
      continue;
    }
    const other = seen.get(uid);
    if (other) {
      problems.push({ input, object: named, reason: `uid "${uid}" is also the uid of ${other}: Grafana keeps one dashboard per uid` });
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
      problems.push({ input, object: `${named} › ${error.where}`, reason: error.reason });
    }
  }
  return { converted, problems, inferred, notes };
}

export interface ImportedDashboard {
  readonly uid: string;
  readonly title: string;
  /** The dashboard as imported (its uid set when it had none): what generate must give back. */
  readonly original: Json;
  readonly origin: string;
  readonly panels: number;
}

const countPanels = (json: Json): number =>
  (Array.isArray(json.panels) ? json.panels : [])
    .filter(isObject)
    .reduce<number>((sum, panel) => sum + 1 + (Array.isArray(panel.panels) ? panel.panels.length : 0), 0);

/** What the proof compares a generated dashboard with. */
export const importedDashboard = (entry: ConvertedInput): ImportedDashboard => ({
  uid: entry.uid,
  title: entry.title,
  original: entry.original,
  origin: entry.input.origin,
  panels: countPanels(entry.original),
});
