// Where dashboards come in: Grafana's own export (the dashboard JSON, or the API's
// `{ "dashboard": …, "meta": … }`), ConfigMaps that carry dashboards as JSON files in `data`
// (kube-prometheus's manifests, the sidecar's labelled ones), and grafana-operator's
// GrafanaDashboard objects (`spec.json`, `spec.gzipJson`). Recognised by content, never by file name.

import { gunzipSync } from 'node:zlib';
import { formatJsonProblem, type JsonProblem, parseJson } from '../../load/json.ts';
import type { FieldPath } from '../document.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A dashboard found in an input value: the JSON, or the text that holds it (a ConfigMap's file), at `path`. */
interface FoundDashboard {
  readonly path: FieldPath;
  /** `data.nodes.json`, `spec.json`, `dashboard`: how messages name where it sits. */
  readonly label: string;
  readonly json?: Json;
  readonly text?: string;
  /** `text` is base64 of gzipped JSON (a GrafanaDashboard's `spec.gzipJson`). */
  readonly gzip?: boolean;
  /** The Grafana folder the source names, as it names it. */
  readonly folder?: string;
}

/** What an input is, when it carries dashboards; `refusal` when it is a dashboard source import cannot read. */
interface RecognisedDashboards {
  readonly kind: string;
  readonly dashboards: readonly FoundDashboard[];
  readonly refusal?: { readonly path: FieldPath; readonly reason: string };
}

/** A dashboard as Grafana exports it: panels (or, before Grafana 5, rows) under a title. */
export const isDashboard = (value: unknown): value is Json =>
  isObject(value) &&
  (Array.isArray(value.panels) || Array.isArray(value.rows)) &&
  (typeof value.title === 'string' || typeof value.schemaVersion === 'number');

/** The folder annotations Grafana's dashboard sidecar reads (`folderAnnotation`, kube-prometheus-stack's default, and k8s-sidecar's). */
const folderAnnotations = ['grafana_folder', 'k8s-sidecar-target-directory'];

/** Whether a ConfigMap data entry looks like a dashboard's JSON (it is parsed later, with line and column on error). */
const looksLikeDashboard = (name: string, text: unknown): text is string =>
  typeof text === 'string' && (name.endsWith('.json') || /^\s*\{/.test(text)) && /"(panels|rows)"\s*:/.test(text);

const operatorSources = ['url', 'grafanaCom', 'configMapRef', 'jsonnet', 'jsonnetLib'];

/** The dashboards an input value carries, or undefined when it carries none. */
export function recogniseDashboards(value: unknown): RecognisedDashboards | undefined {
  if (isDashboard(value)) return { kind: 'Grafana dashboard', dashboards: [{ path: [], label: 'dashboard', json: value }] };
  if (!isObject(value)) return undefined;
  if (isDashboard(value.dashboard)) {
    const meta = isObject(value.meta) ? value.meta : {};
    const folder = typeof meta.folderTitle === 'string' && meta.folderTitle !== 'General' ? meta.folderTitle : undefined;
    return {
      kind: 'Grafana dashboard (API)',
      dashboards: [{ path: ['dashboard'], label: 'dashboard', json: value.dashboard, ...(folder !== undefined && { folder }) }],
    };
  }
  const metadata = isObject(value.metadata) ? value.metadata : {};
  if (value.kind === 'ConfigMap' && isObject(value.data)) {
    const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
    const folder = folderAnnotations
      .map((name) => annotations[name])
      .find((each): each is string => typeof each === 'string' && each !== '');
    const dashboards = Object.entries(value.data)
      .filter(([name, text]) => looksLikeDashboard(name, text))
      .map(([name, text]) => ({
        path: ['data', name],
        label: `data.${name}`,
        text: text as string,
        ...(folder !== undefined && { folder }),
      }));
    return dashboards.length > 0 ? { kind: 'ConfigMap of dashboards', dashboards } : undefined;
  }
  if (
    value.kind === 'GrafanaDashboard' &&
    typeof value.apiVersion === 'string' &&
    value.apiVersion.startsWith('grafana.integreatly.org/')
  ) {
    const spec = isObject(value.spec) ? value.spec : {};
    const folder = typeof spec.folder === 'string' ? spec.folder : typeof spec.folderRef === 'string' ? spec.folderRef : undefined;
    if (typeof spec.json === 'string')
      return {
        kind: 'GrafanaDashboard',
        dashboards: [{ path: ['spec', 'json'], label: 'spec.json', text: spec.json, ...(folder !== undefined && { folder }) }],
      };
    if (typeof spec.gzipJson === 'string')
      return {
        kind: 'GrafanaDashboard',
        dashboards: [
          { path: ['spec', 'gzipJson'], label: 'spec.gzipJson', text: spec.gzipJson, gzip: true, ...(folder !== undefined && { folder }) },
        ],
      };
    const source = operatorSources.find((name) => spec[name] !== undefined);
    return {
      kind: 'GrafanaDashboard',
      dashboards: [],
      refusal: {
        path: ['spec', ...(source ? [source] : [])],
        reason: source
          ? `the dashboard comes from spec.${source}, outside the object: import reads dashboards carried in spec.json or spec.gzipJson (fetch it and import the JSON)`
          : 'carries no dashboard in spec.json or spec.gzipJson',
      },
    };
  }
  return undefined;
}

/** A Grafana folder's title as a monforge folder (a directory name): `Kubernetes / Nodes` → `kubernetes-nodes`. */
export function folderName(title: string): string | undefined {
  const name = title
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '');
  return name === '' ? undefined : name;
}

/** Why a dashboard of an input cannot be read: where (the field and the object), and why. */
export interface InputProblem {
  readonly path: FieldPath;
  /** `ConfigMap nodes › data.nodes.json`. */
  readonly object: string;
  readonly reason: string;
  /** Where in the field's own JSON text, when the text does not parse. */
  readonly json?: JsonProblem;
}

export const formatInputProblem = (problem: InputProblem): string => `${problem.object}: ${problem.reason}`;

/** A dashboard an input carries. */
export interface FoundInput {
  readonly json: Json;
  /** Where it sits in the input value. */
  readonly path: FieldPath;
  /** How messages name where it sits, after the file: `ConfigMap nodes › data.nodes.json`; empty for a dashboard file. */
  readonly where: string;
  /** The Grafana folder its source names. */
  readonly folder?: string;
}

/** The most a gzipped dashboard may unpack to, as much as an input file may weigh. */
const maxUnpacked = 16 * 1024 * 1024;

/** The JSON text of a dashboard an input carries as text, gunzipped when it is `spec.gzipJson`. */
function textOf(found: FoundDashboard): string | Error {
  if (!found.gzip) return found.text ?? '';
  try {
    return gunzipSync(Buffer.from(found.text ?? '', 'base64'), { maxOutputLength: maxUnpacked }).toString('utf8');
  } catch (error) {
    return new Error(`is not base64 of gzipped JSON of at most ${maxUnpacked} bytes (${(error as Error).message})`);
  }
}

/**
 * The dashboards of one input value, each named by where it sits: in its object (`ConfigMap
 * nodes`), or where `unnamed` says when the object has no name; undefined when it carries none.
 */
export function dashboardsIn(value: unknown, unnamed = ''): { dashboards: FoundInput[]; problems: InputProblem[] } | undefined {
  const recognised = recogniseDashboards(value);
  if (!recognised) return undefined;
  const join = (...parts: string[]): string => parts.filter((part) => part !== '').join(' › ');
  const metadata = isObject(value) && isObject(value.metadata) ? value.metadata : undefined;
  const object = metadata && typeof metadata.name === 'string' ? `${String((value as Json).kind)} ${metadata.name}` : unnamed;
  const problems: InputProblem[] = recognised.refusal
    ? [{ path: recognised.refusal.path, object: join(object, recognised.refusal.path.join('.')), reason: recognised.refusal.reason }]
    : [];
  const dashboards: FoundInput[] = [];
  for (const found of recognised.dashboards) {
    const where = found.path.length === 0 ? object : join(object, found.label);
    let json = found.json;
    if (json === undefined) {
      const text = textOf(found);
      if (text instanceof Error) {
        problems.push({ path: found.path, object: where, reason: text.message });
        continue;
      }
      const parsed = parseJson(text);
      if ('problem' in parsed) {
        problems.push({
          path: found.path,
          object: where,
          reason: `its JSON does not parse at ${formatJsonProblem(parsed.problem)}`,
          json: parsed.problem,
        });
        continue;
      }
      if (!isDashboard(parsed.value)) {
        problems.push({ path: found.path, object: where, reason: 'is not a Grafana dashboard (no panels under a title)' });
        continue;
      }
      json = parsed.value;
    }
    dashboards.push({ json, path: found.path, where, ...(found.folder !== undefined && { folder: found.folder }) });
  }
  return { dashboards, problems };
}
