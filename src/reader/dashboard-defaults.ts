import {
  AnnotationQueryBuilder,
  ConstantVariableBuilder,
  CustomVariableBuilder,
  DashboardBuilder,
  DashboardLinkBuilder,
  DatasourceVariableBuilder,
  IntervalVariableBuilder,
  PanelBuilder,
  QueryVariableBuilder,
  RowBuilder,
  TextBoxVariableBuilder,
  TimePickerBuilder,
  AdHocVariableBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { panelModule, queryBuilder } from './grafana-sdk.ts';

// What Grafana assumes for a field a dashboard leaves out. The SDK's builders write a value for
// many fields; where it is Grafana's own default (most of them), writing it changes nothing.
// Where Grafana assumes something else, `grafanaAssumes` says what, so the comparison can tell a
// left-out field from the SDK's value and import can write Grafana's explicitly.

export type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `b` laid over `a`, objects merged key by key. */
export function overlay(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = isObject(value) && isObject(out[key]) ? overlay(out[key] as Json, value) : value;
  return out;
}

const legendShown = { options: { legend: { showLegend: true } } };
const unsortedTooltip = { options: { tooltip: { sort: 'none' } } };
const graph = overlay(legendShown, unsortedTooltip);
/** Single-value panels reduce each series to its last value that is not null (addStandardDataReduceOptions). */
const lastNotNull = { options: { reduceOptions: { calcs: ['lastNotNull'] } } };

/** Grafana's defaults where they differ from what the SDK writes, by panel type. */
const grafanaAssumes: Record<string, Json> = {
  timeseries: graph,
  trend: graph,
  xychart: graph,
  candlestick: graph,
  histogram: graph,
  barchart: graph,
  'state-timeline': graph,
  'status-history': graph,
  piechart: overlay(overlay(graph, lastNotNull), { options: { legend: { placement: 'right' } } }),
  stat: lastNotNull,
  gauge: lastNotNull,
  bargauge: lastNotNull,
  logs: { options: { enableLogDetails: true } },
  geomap: { options: { tooltip: { mode: 'details' } } },
};

/** What a builder builds, as JSON (query builders add a method, which JSON leaves out). */
/**
 * Fields Grafana assumes inside an object a panel has, where the object leaves them out: a
 * thresholds object without a mode is absolute, a legend without placement is at the bottom.
 * (The SDK's nested builders write these values; a dashboard written by hand often leaves them out.)
 */
const withinObjects: Json = {
  options: {
    legend: { displayMode: 'list', placement: 'bottom', calcs: [] },
    tooltip: { mode: 'single', sort: 'none' },
    reduceOptions: { values: false, fields: '' },
    footer: { show: false, reducer: [], countRows: false },
  },
  fieldConfig: {
    defaults: {
      thresholds: { mode: 'absolute' },
      custom: {
        stacking: { mode: 'none', group: 'A' },
        thresholdsStyle: { mode: 'off' },
        scaleDistribution: { type: 'linear' },
        hideFrom: { tooltip: false, legend: false, viz: false },
      },
    },
  },
};

const built = (builder: { build(): unknown }): Json => JSON.parse(JSON.stringify(builder.build())) as Json;

/**
 * Grafana's default timezone is the viewer's or the organisation's preference, not the browser's;
 * it does not refresh by itself, shows the last 6 hours, keeps no links or tags.
 */
export const dashboardDefaults = (): Json =>
  overlay(built(new DashboardBuilder('')), {
    timezone: '',
    refresh: '',
    liveNow: false,
    weekStart: '',
    time: { from: 'now-6h', to: 'now' },
    timepicker: built(new TimePickerBuilder()),
  });

/** A panel of `type` as the SDK's builder starts it, corrected to Grafana's defaults; the generic panel for a type the SDK lacks. */
export function panelDefaults(type: string): Json {
  const module = panelModule(type);
  const start = module ? built(new module.exports.PanelBuilder()) : built(new PanelBuilder().type(type));
  return overlay(overlay(withinObjects, start), grafanaAssumes[type] ?? {});
}

export const rowDefaults = (): Json => built(new RowBuilder(''));

const variableBuilders: Record<string, () => { build(): unknown }> = {
  query: () => new QueryVariableBuilder(''),
  custom: () => new CustomVariableBuilder(''),
  constant: () => new ConstantVariableBuilder(''),
  datasource: () => new DatasourceVariableBuilder(''),
  interval: () => new IntervalVariableBuilder(''),
  textbox: () => new TextBoxVariableBuilder(''),
  adhoc: () => new AdHocVariableBuilder(''),
};

/** A variable of `type` as its SDK builder starts it (the query variable's for a type the SDK lacks), shown with its label. */
export const variableDefaults = (type: string): Json =>
  overlay(built((variableBuilders[type] ?? variableBuilders.query!)()), type === 'constant' ? {} : { hide: 0 });

export const linkDefaults = (): Json => built(new DashboardLinkBuilder(''));
export const annotationDefaults = (): Json => built(new AnnotationQueryBuilder());

/** A query of a data source plugin as its SDK builder starts it (`{ expr: "" }` for Prometheus), or nothing for one the SDK lacks. */
export const queryDefaults = (plugin: string, query: Json): Json => queryBuilder(plugin, query)?.start ?? {};

/** The annotation Grafana adds to every dashboard that has none of its own: annotations and alerts of this dashboard. */
export const builtInAnnotation: Json = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
  target: { limit: 100, matchAny: false, tags: [], type: 'dashboard' },
};
