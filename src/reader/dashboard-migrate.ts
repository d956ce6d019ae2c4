// Grafana's own schema migrations of dashboard JSON (apps/dashboard/pkg/migration/schemaversion in
// grafana/grafana), from the oldest version taken as is up to the version the foundation SDK
// writes. A dashboard claiming the SDK's version skips every migration when Grafana loads it, so
// one written from an older dashboard must carry what those migrations would have done.

type Json = Record<string, unknown>;

/** The version the SDK's `DashboardBuilder` writes. */
export const sdkSchemaVersion = 42;
/**
 * The oldest version migrated here, Grafana 8.0's. Older dashboards hold value mappings and
 * Angular panels whose migrations rewrite them whole; Grafana does that on export.
 */
export const oldestSchemaVersion = 30;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** Every panel, those in collapsed rows included. */
const allPanels = (dashboard: Json): Json[] => objects(dashboard.panels).flatMap((panel) => [panel, ...objects(panel.panels)]);

/** Whether a data source is named `"default"`: the default data source, as when it is left out. */
const isDefault = (owner: Json): boolean => owner.datasource === 'default';

/** A CloudWatch query of metrics (before its query editor modes). */
const isCloudWatchQuery = (query: Json): boolean => ['dimensions', 'namespace', 'region', 'metricName'].every((field) => field in query);

/**
 * A CloudWatch query (or annotation) with a list of statistics as one per statistic, or the
 * query itself when the list is not one; the first keeps its place and name.
 */
function perStatistic(query: Json): Json[] {
  if (!Array.isArray(query.statistics) || query.statistics.length === 0) return [query];
  const { statistics, ...rest } = query;
  const valid = statistics.filter((stat) => stat === null || typeof stat === 'string');
  if (valid.length === 0) return [rest];
  return valid.map((stat) => (typeof stat === 'string' ? { ...rest, statistic: stat } : { ...rest }));
}

const migrations: Record<number, (dashboard: Json) => void> = {
  // Every labelsToFields transformation is followed by a merge.
  31: (dashboard) => {
    for (const panel of allPanels(dashboard)) {
      if (panel.type === 'row' || !Array.isArray(panel.transformations)) continue;
      panel.transformations = panel.transformations.flatMap((transformation) =>
        isObject(transformation) && transformation.id === 'labelsToFields'
          ? [transformation, { id: 'merge', options: {} }]
          : [transformation],
      );
    }
  },
  32: () => {},
  // Data sources named by a string become references (see withDatasourceReferences); a panel's "default" is left out.
  33: (dashboard) => {
    for (const panel of allPanels(dashboard)) if (isDefault(panel)) delete panel.datasource;
  },
  // A CloudWatch query of several statistics becomes one query per statistic (new ones get the first free refIds).
  34: (dashboard) => {
    for (const panel of allPanels(dashboard)) {
      if (!Array.isArray(panel.targets)) continue;
      const used = new Set(objects(panel.targets).map((target) => target.refId));
      const added: Json[] = [];
      const targets = panel.targets.map((target) => {
        if (!isObject(target) || !isCloudWatchQuery(target)) return target;
        const [first, ...more] = perStatistic({ metricEditorMode: 0, metricQueryType: 0, ...target });
        for (const query of more) {
          const refId = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].find((letter) => !used.has(letter))!;
          used.add(refId);
          added.push({ ...query, refId });
        }
        return first;
      });
      panel.targets = [...targets, ...added];
    }
    const annotations = isObject(dashboard.annotations) ? dashboard.annotations : undefined;
    if (!annotations || !Array.isArray(annotations.list)) return;
    const added: Json[] = [];
    const list = annotations.list.map((annotation) => {
      if (!isObject(annotation)) return annotation;
      if (!['dimensions', 'namespace', 'region', 'prefixMatching', 'statistics'].every((field) => field in annotation)) return annotation;
      const several = perStatistic(annotation);
      const named = (query: Json): Json =>
        several.length > 1 && typeof annotation.name === 'string' && annotation.name !== ''
          ? { ...query, name: `${annotation.name} - ${typeof query.statistic === 'string' ? query.statistic : 'null'}` }
          : query;
      added.push(...several.slice(1).map(named));
      return named(several[0]!);
    });
    annotations.list = [...list, ...added];
  },
  // A time series with every axis hidden keeps its time axis.
  35: (dashboard) => {
    for (const panel of allPanels(dashboard)) {
      const fieldConfig = panel.fieldConfig;
      if (panel.type !== 'timeseries' || !isObject(fieldConfig)) continue;
      const custom = isObject(fieldConfig.defaults) ? fieldConfig.defaults.custom : undefined;
      if (!isObject(custom) || custom.axisPlacement !== 'hidden') continue;
      fieldConfig.overrides = [
        ...(Array.isArray(fieldConfig.overrides) ? fieldConfig.overrides : []),
        { matcher: { id: 'byType', options: 'time' }, properties: [{ id: 'custom.axisPlacement', value: 'auto' }] },
      ];
    }
  },
  // Grafana writes the default data source's reference where none is given (left out here: the
  // same data source), and a query without one its panel's (which it reads anyway); "default" is that source.
  36: (dashboard) => {
    for (const panel of allPanels(dashboard))
      for (const owner of [panel, ...objects(panel.targets)]) if (isDefault(owner)) delete owner.datasource;
    const annotations = isObject(dashboard.annotations) ? objects(dashboard.annotations.list) : [];
    for (const annotation of annotations) if (isDefault(annotation)) delete annotation.datasource;
  },
  // Legends: a boolean becomes an object; a hidden legend is `showLegend: false` in list mode. Top-level panels only, as Grafana does.
  37: (dashboard) => {
    for (const panel of objects(dashboard.panels)) {
      const options = panel.options;
      if (!isObject(options) || options.legend === undefined || options.legend === null) continue;
      if (typeof options.legend === 'boolean') {
        options.legend = { displayMode: 'list', showLegend: options.legend };
        continue;
      }
      const legend = options.legend;
      if (!isObject(legend)) continue;
      if (legend.displayMode === 'hidden' || legend.showLegend === false) {
        legend.displayMode = 'list';
        legend.showLegend = false;
      } else legend.showLegend = true;
    }
  },
  // Tables: `custom.displayMode` becomes `custom.cellOptions`, in defaults and overrides.
  38: (dashboard) => {
    for (const panel of allPanels(dashboard)) {
      if (panel.type !== 'table' || !isObject(panel.fieldConfig)) continue;
      const custom = isObject(panel.fieldConfig.defaults) ? panel.fieldConfig.defaults.custom : undefined;
      if (isObject(custom) && 'displayMode' in custom) {
        if (typeof custom.displayMode === 'string') custom.cellOptions = cellOptions(custom.displayMode);
        delete custom.displayMode;
      }
      for (const override of objects(panel.fieldConfig.overrides)) {
        for (const property of objects(override.properties)) {
          if (property.id !== 'custom.displayMode') continue;
          property.id = 'custom.cellOptions';
          if (typeof property.value === 'string') property.value = cellOptions(property.value);
        }
      }
    }
  },
  // The timeSeriesTable transformation keeps options per query.
  39: (dashboard) => {
    for (const panel of allPanels(dashboard)) {
      for (const transformation of objects(panel.transformations)) {
        const stats = isObject(transformation.options) ? transformation.options.refIdToStat : undefined;
        if (transformation.id !== 'timeSeriesTable' || !isObject(stats)) continue;
        transformation.options = Object.fromEntries(Object.entries(stats).map(([refId, stat]) => [refId, { stat }]));
      }
    }
  },
  // `refresh` is a string; anything else means no auto-refresh.
  40: (dashboard) => {
    if (typeof dashboard.refresh !== 'string') dashboard.refresh = '';
  },
  // The time picker's `time_options` has done nothing since Grafana 5.
  41: (dashboard) => {
    if (isObject(dashboard.timepicker)) delete dashboard.timepicker.time_options;
  },
  // A field hidden from the graph is hidden from the tooltip too.
  42: (dashboard) => {
    for (const panel of allPanels(dashboard)) {
      if (!isObject(panel.fieldConfig)) continue;
      for (const override of objects(panel.fieldConfig.overrides)) {
        for (const property of objects(override.properties)) {
          if (property.id === 'custom.hideFrom' && isObject(property.value) && property.value.viz === true) property.value.tooltip = true;
        }
      }
    }
  },
};

function cellOptions(displayMode: string): Json {
  switch (displayMode) {
    case 'basic':
    case 'gradient-gauge':
    case 'lcd-gauge':
      return { type: 'gauge', mode: displayMode === 'basic' ? 'basic' : displayMode.replace('-gauge', '') };
    case 'color-background':
    case 'color-background-solid':
      return { type: 'color-background', mode: displayMode === 'color-background' ? 'gradient' : 'basic' };
    default:
      return { type: displayMode };
  }
}

/** The schema version a dashboard states (0 when it states none). */
export const schemaVersionOf = (dashboard: Json): number => (typeof dashboard.schemaVersion === 'number' ? dashboard.schemaVersion : 0);

/**
 * A copy of the dashboard brought to the SDK's schema version as Grafana would bring it on load;
 * the dashboard itself is not changed. Versions below `oldestSchemaVersion` are left as they are.
 */
export function migrateDashboard(dashboard: Json): Json {
  const copy = structuredClone(dashboard);
  const from = schemaVersionOf(copy);
  if (from < oldestSchemaVersion || from >= sdkSchemaVersion) return copy;
  for (let version = from + 1; version <= sdkSchemaVersion; version += 1) migrations[version]!(copy);
  copy.schemaVersion = sdkSchemaVersion;
  return copy;
}
