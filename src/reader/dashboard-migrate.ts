// Grafana's own schema migrations of dashboard JSON (apps/dashboard/pkg/migration/schemaversion in
// grafana/grafana), from the oldest version taken as is up to the version the foundation SDK
// writes. A dashboard claiming the SDK's version skips every migration when Grafana loads it, so
// one written from an older dashboard must carry what those migrations would have done.

type Json = Record<string, unknown>;

/** The version the SDK's `DashboardBuilder` writes. */
export const sdkSchemaVersion = 42;
/**
 * The oldest version migrated here. Older dashboards reference data sources by name and hold
 * Angular panels whose migrations rewrite them whole; Grafana does that on export.
 */
export const oldestSchemaVersion = 36;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** Every panel, those in collapsed rows included. */
const allPanels = (dashboard: Json): Json[] => objects(dashboard.panels).flatMap((panel) => [panel, ...objects(panel.panels)]);

const migrations: Record<number, (dashboard: Json) => void> = {
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
