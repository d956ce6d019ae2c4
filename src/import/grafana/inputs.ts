// Where dashboards come in: Grafana's own export (the dashboard JSON, or the API's
// `{ "dashboard": …, "meta": … }`), ConfigMaps that carry dashboards as JSON files in `data`
// (kube-prometheus's manifests, the sidecar's labelled ones), and grafana-operator's
// GrafanaDashboard objects (`spec.json`). Recognised by content, never by file name.

type Json = Record<string, unknown>;
export type FieldPath = readonly (string | number)[];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A dashboard found in an input value: the JSON, or the text that holds it (a ConfigMap's file), at `path`. */
interface FoundDashboard {
  readonly path: FieldPath;
  /** `data.nodes.json`, `spec.json`, `dashboard`: how messages name where it sits. */
  readonly label: string;
  readonly json?: Json;
  readonly text?: string;
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

const operatorSources = ['url', 'grafanaCom', 'configMapRef', 'gzipJson', 'jsonnet', 'jsonnetLib'];

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
    const source = operatorSources.find((name) => spec[name] !== undefined);
    return {
      kind: 'GrafanaDashboard',
      dashboards: [],
      refusal: {
        path: ['spec', ...(source ? [source] : [])],
        reason: source
          ? `the dashboard comes from spec.${source}, outside the object: import reads dashboards carried in spec.json (fetch it and import the JSON)`
          : 'carries no dashboard in spec.json',
      },
    };
  }
  return undefined;
}

/** A problem parsing JSON text: 1-based line and column within the text. */
export interface JsonProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * Where JSON text stops being JSON: the offset of the first character the grammar does not
 * allow there (the text's length when it ends too early). Node's own messages give a position
 * only for some errors.
 */
function errorOffset(text: string): number {
  let at = 0;
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at += 1;
  };
  const fail = (): never => {
    throw at;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[at] !== char) fail();
      at += 1;
    }
  };
  /** Steps over `char` when it is next. */
  const next = (char: string): boolean => {
    if (text[at] !== char) return false;
    at += 1;
    return true;
  };
  const string = () => {
    at += 1;
    while (at < text.length && text[at] !== '"') {
      if (text.charCodeAt(at) < 0x20) fail();
      if (text[at] === '\\') {
        at += 1;
        if (text[at] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) fail();
          at += 4;
        } else if (!'"\\/bfnrt'.includes(text[at] ?? '')) fail();
      }
      at += 1;
    }
    if (at >= text.length) fail();
    at += 1;
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) fail();
    at += match![0].length;
  };
  const value = (): void => {
    space();
    if (next('{')) {
      space();
      if (next('}')) return;
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        string();
        space();
        if (!next(':')) fail();
        value();
        space();
        if (next('}')) return;
        if (!next(',')) fail();
      }
    }
    if (next('[')) {
      space();
      if (next(']')) return;
      for (;;) {
        value();
        space();
        if (next(']')) return;
        if (!next(',')) fail();
      }
    }
    const char = text[at];
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    return number();
  };
  try {
    value();
    space();
    return Math.min(at, text.length);
  } catch (offset) {
    return Math.min(offset as number, text.length);
  }
}

/** Parses JSON text; on error, where in the text (line and column) and what is there. */
export function parseJson(text: string): { value: unknown } | { problem: JsonProblem } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    const offset = errorOffset(text);
    const before = text.slice(0, offset).split('\n');
    const found = offset >= text.length ? 'the text ends' : `unexpected ${JSON.stringify(text[offset])}`;
    return { problem: { line: before.length, column: before.at(-1)!.length + 1, message: `invalid JSON: ${found}` } };
  }
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
  /** `manifests.yaml › ConfigMap nodes › data.nodes.json`. */
  readonly object: string;
  readonly reason: string;
  /** Where in the field's own JSON text, when the text does not parse. */
  readonly json?: JsonProblem;
}

export const formatInputProblem = (problem: InputProblem): string => `${problem.object}: ${problem.reason}`;

/** The dashboards of one input value, each named by where it sits; undefined when it carries none. */
export function dashboardsIn(
  value: unknown,
  origin: string,
): { dashboards: { json: Json; origin: string; folder?: string }[]; problems: InputProblem[] } | undefined {
  const recognised = recogniseDashboards(value);
  if (!recognised) return undefined;
  const metadata = isObject(value) && isObject(value.metadata) ? value.metadata : undefined;
  const object = metadata && typeof metadata.name === 'string' ? `${origin} › ${String((value as Json).kind)} ${metadata.name}` : origin;
  const problems: InputProblem[] = recognised.refusal
    ? [{ path: recognised.refusal.path, object: `${object} › ${recognised.refusal.path.join('.')}`, reason: recognised.refusal.reason }]
    : [];
  const dashboards: { json: Json; origin: string; folder?: string }[] = [];
  for (const found of recognised.dashboards) {
    const where = found.path.length === 0 ? object : `${object} › ${found.label}`;
    let json = found.json;
    if (json === undefined) {
      const parsed = parseJson(found.text ?? '');
      if ('problem' in parsed) {
        const { line, column, message } = parsed.problem;
        problems.push({ path: found.path, object: where, reason: `line ${line} column ${column}: ${message}`, json: parsed.problem });
        continue;
      }
      if (!isDashboard(parsed.value)) {
        problems.push({ path: found.path, object: where, reason: 'is not a Grafana dashboard (no panels under a title)' });
        continue;
      }
      json = parsed.value;
    }
    dashboards.push({ json, origin: where, ...(found.folder !== undefined && { folder: found.folder }) });
  }
  return { dashboards, problems };
}
