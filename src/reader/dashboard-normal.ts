import {
  annotationDefaults,
  builtInAnnotation,
  dashboardDefaults,
  linkDefaults,
  panelDefaults,
  queryDefaults,
  rowDefaults,
  variableDefaults,
  type Json,
} from './dashboard-defaults.ts';
import { migrateDashboard } from './dashboard-migrate.ts';
import { equal } from './equal.ts';

// A dashboard as Grafana understands it, for comparing two spellings of one dashboard (an
// export and what monforge builds from its import): migrated to the current schema, without
// what Grafana keeps for itself (id, version, plugin versions) and without any field that only
// states Grafana's default (a left-out field and its default value read the same).

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Fields Grafana sets itself or no longer reads, by where they sit: its database id and version,
 * the export's wrapping, the grafana.com id it was imported from, the theme of Grafana before 7
 * (`style`); each panel's plugin version (stamped on save); what the query inspector and older
 * versions leave in queries (the request's id, time zone offset and data source id, `step`
 * before `interval`); the tag fields of variables (gone in Grafana 8) and the query editor's
 * `queryValue` Grafana 8 saved with them; and a data source
 * variable's `refresh` (such a variable always lists the sources when the dashboard loads).
 */
const unread = {
  dashboard: ['id', 'version', 'iteration', 'schemaVersion', '__inputs', '__requires', '__elements', 'gnetId', 'style'],
  panel: ['pluginVersion'],
  query: ['requestId', 'utcOffsetSec', 'datasourceId', 'calculatedInterval', 'step'],
  variable: ['tags', 'tagsQuery', 'tagValuesQuery', 'useTags', 'queryValue'],
  datasourceVariable: ['refresh'],
};

/** What Grafana writes itself: nobody wrote them, nobody misses them. */
const grafanasOwn = new Set([...unread.dashboard.filter((field) => field !== 'style'), ...unread.panel, ...unread.datasourceVariable]);

/**
 * The dashboard without the fields Grafana keeps for itself or no longer reads (see `unread`).
 * `left` hears each field left out that someone wrote and that said something (not null, empty or false), by where it was.
 */
export function withoutManaged(dashboard: Json, left: (where: string) => void = () => {}): Json {
  const drop = (value: Json, fields: readonly string[], where: string): Json => {
    const out: Json = { ...value };
    for (const field of fields) {
      if (!(field in out)) continue;
      const said = out[field];
      const empty = said === null || said === '' || said === false || (Array.isArray(said) && said.length === 0);
      if (!empty && !grafanasOwn.has(field)) left(`${where}${field}`);
      delete out[field];
    }
    return out;
  };
  const out = drop(dashboard, unread.dashboard, '');
  const panel = (each: unknown): unknown => {
    if (!isObject(each)) return each;
    const title = `panel ${typeof each.id === 'number' ? each.id : '?'} "${String(each.title ?? '')}" › `;
    const rest = drop(each, unread.panel, title);
    return {
      ...rest,
      ...(Array.isArray(rest.targets) && {
        targets: rest.targets.map((query, index) => (isObject(query) ? drop(query, unread.query, `${title}targets[${index}].`) : query)),
      }),
      ...(Array.isArray(rest.panels) && { panels: rest.panels.map(panel) }),
    };
  };
  if (Array.isArray(out.panels)) out.panels = out.panels.map(panel);
  if (isObject(out.templating) && Array.isArray(out.templating.list)) {
    out.templating = {
      ...out.templating,
      list: out.templating.list.map((variable) => {
        if (!isObject(variable)) return variable;
        const where = `variable "${String(variable.name ?? '')}" › `;
        const fields = variable.type === 'datasource' ? [...unread.variable, ...unread.datasourceVariable] : unread.variable;
        return drop(variable, fields, where);
      }),
    };
  }
  return out;
}

/**
 * Removes every field whose value is the default at the same place; objects are compared field by
 * field. A `type` is what the defaults were chosen by: it stays.
 */
function withoutDefaults(value: Json, defaults: Json): Json {
  const out = withoutDefaultFields(value, defaults);
  return 'type' in value ? { type: value.type, ...out } : out;
}

function withoutDefaultFields(value: Json, defaults: Json): Json {
  const out: Json = {};
  for (const [key, field] of Object.entries(value)) {
    const standard = defaults[key];
    if (standard !== undefined && equal(field, standard)) continue;
    out[key] = isObject(field) && isObject(standard) ? withoutDefaultFields(field, standard) : field;
  }
  return out;
}

/** Drops null fields and empty objects and lists, which Grafana reads as left out. Lists keep their items. */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (isObject(item) ? withoutEmpty(item) : item));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, field] of Object.entries(value)) {
    const kept = withoutEmpty(field);
    if (kept === null || kept === undefined) continue;
    if (Array.isArray(kept) && kept.length === 0) continue;
    if (isObject(kept) && Object.keys(kept).length === 0) continue;
    out[key] = kept;
  }
  return out;
}

const refIds = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The plugin a query reads: its own data source's type, else its panel's, else the dashboard's Prometheus. */
const pluginOf = (query: Json, panel: Json): string => {
  const own = isObject(query.datasource) ? query.datasource.type : undefined;
  const inherited = isObject(panel.datasource) ? panel.datasource.type : undefined;
  return typeof own === 'string' ? own : typeof inherited === 'string' ? inherited : 'prometheus';
};

function normalQuery(query: Json, index: number, panel: Json): Json {
  const plugin = pluginOf(query, panel);
  const out: Json = { refId: refIds[index] ?? `Q${index}`, ...query };
  if (plugin === 'prometheus') {
    // A Prometheus query is a range query unless it asks for an instant; `range` left out follows `instant`.
    const instant = out.instant === true;
    out.instant = instant;
    out.range = typeof out.range === 'boolean' ? out.range : !instant;
    if (!instant && out.range) {
      delete out.instant;
      delete out.range;
    }
  }
  return withoutDefaults(out, queryDefaults(plugin, query));
}

function normalPanel(rest: Json): Json {
  const type = typeof rest.type === 'string' ? rest.type : '';
  if (type === 'row') {
    const row = withoutDefaults(rest, rowDefaults());
    return { ...row, ...(Array.isArray(rest.panels) && { panels: rest.panels.filter(isObject).map(normalPanel) }) };
  }
  const out = withoutDefaults(rest, panelDefaults(type));
  // Data links: the SDK builds them as dashboard links, whose other fields a data link does not read.
  const fieldConfig = isObject(out.fieldConfig) ? out.fieldConfig : undefined;
  const defaults = isObject(fieldConfig?.defaults) ? fieldConfig.defaults : undefined;
  if (fieldConfig && defaults && Array.isArray(defaults.links)) {
    const links = defaults.links.map((link) => (isObject(link) ? withoutDefaultFields(link, linkDefaults()) : link));
    out.fieldConfig = { ...fieldConfig, defaults: { ...defaults, links } };
  }
  if (Array.isArray(rest.targets)) out.targets = rest.targets.filter(isObject).map((query, index) => normalQuery(query, index, rest));
  return out;
}

/** Grafana adds its built-in annotation to a dashboard without one; stated as is, it is the same dashboard. */
export const isBuiltIn = (annotation: Json): boolean => {
  const { datasource: _datasource, ...rest } = annotation;
  const { datasource: _default, ...standard } = builtInAnnotation;
  return annotation.builtIn === 1 && equal(rest, standard);
};

/**
 * Data sources named by a string (`"$datasource"`, `"Prometheus"`), as older dashboards and some
 * exporters write them on panels, queries, variables and annotations, as the reference Grafana
 * resolves them to: `{ uid: "$datasource" }` (a uid or, failing that, a name). `replaced` hears where.
 */
export function withDatasourceReferences(dashboard: Json, replaced: (where: string) => void = () => {}): Json {
  const reference = (owner: Json, where: string): Json => {
    if (typeof owner.datasource !== 'string') return owner;
    replaced(where);
    return { ...owner, datasource: { uid: owner.datasource } };
  };
  const title = (panel: Json): string => `panel ${typeof panel.id === 'number' ? panel.id : '?'} "${String(panel.title ?? '')}"`;
  const panel = (each: unknown): unknown => {
    if (!isObject(each)) return each;
    const out = reference(each, title(each));
    return {
      ...out,
      ...(Array.isArray(out.targets) && {
        targets: out.targets.map((target, index) =>
          isObject(target) ? reference(target, `${title(each)} › query ${String(target.refId ?? refIds[index])}`) : target,
        ),
      }),
      ...(Array.isArray(out.panels) && { panels: out.panels.map(panel) }),
    };
  };
  const list = (container: unknown, what: string): unknown =>
    isObject(container) && Array.isArray(container.list)
      ? {
          ...container,
          list: container.list.map((item) => (isObject(item) ? reference(item, `${what} "${String(item.name ?? '')}"`) : item)),
        }
      : container;
  return {
    ...dashboard,
    ...(Array.isArray(dashboard.panels) && { panels: dashboard.panels.map(panel) }),
    ...(dashboard.templating !== undefined && { templating: list(dashboard.templating, 'variable') }),
    ...(dashboard.annotations !== undefined && { annotations: list(dashboard.annotations, 'annotation') }),
  };
}

/** The dashboard as Grafana reads it, for comparison. */
export function normalDashboard(dashboard: Json): Json {
  const { panels, templating, annotations, links, ...rest } = withDatasourceReferences(withoutManaged(migrateDashboard(dashboard)));
  const out: Json = withoutDefaults(rest, dashboardDefaults());
  if (Array.isArray(panels)) out.panels = panels.filter(isObject).map(normalPanel);
  if (isObject(templating) && Array.isArray(templating.list)) {
    out.templating = {
      ...templating,
      list: templating.list.filter(isObject).map((variable) => withoutDefaults(variable, variableDefaults(String(variable.type)))),
    };
  }
  if (isObject(annotations) && Array.isArray(annotations.list)) {
    const list = annotations.list.filter(isObject).filter((annotation) => !isBuiltIn(annotation));
    out.annotations = { ...annotations, list: list.map((annotation) => withoutDefaults(annotation, annotationDefaults())) };
  }
  if (Array.isArray(links)) out.links = links.filter(isObject).map((link) => withoutDefaults(link, linkDefaults()));
  return withoutEmpty(out) as Json;
}
