import * as annotationslist from '@grafana/grafana-foundation-sdk/annotationslist';
import * as athena from '@grafana/grafana-foundation-sdk/athena';
import * as azuremonitor from '@grafana/grafana-foundation-sdk/azuremonitor';
import * as barchart from '@grafana/grafana-foundation-sdk/barchart';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as bigquery from '@grafana/grafana-foundation-sdk/bigquery';
import * as candlestick from '@grafana/grafana-foundation-sdk/candlestick';
import * as canvas from '@grafana/grafana-foundation-sdk/canvas';
import * as cloudwatch from '@grafana/grafana-foundation-sdk/cloudwatch';
import * as dashboardlist from '@grafana/grafana-foundation-sdk/dashboardlist';
import * as datagrid from '@grafana/grafana-foundation-sdk/datagrid';
import * as datasource from '@grafana/grafana-foundation-sdk/datasource';
import * as debug from '@grafana/grafana-foundation-sdk/debug';
import * as elasticsearch from '@grafana/grafana-foundation-sdk/elasticsearch';
import * as expr from '@grafana/grafana-foundation-sdk/expr';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as geomap from '@grafana/grafana-foundation-sdk/geomap';
import * as googlecloudmonitoring from '@grafana/grafana-foundation-sdk/googlecloudmonitoring';
import * as grafanapyroscope from '@grafana/grafana-foundation-sdk/grafanapyroscope';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as histogram from '@grafana/grafana-foundation-sdk/histogram';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as news from '@grafana/grafana-foundation-sdk/news';
import * as nodegraph from '@grafana/grafana-foundation-sdk/nodegraph';
import * as parca from '@grafana/grafana-foundation-sdk/parca';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as statushistory from '@grafana/grafana-foundation-sdk/statushistory';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as tempo from '@grafana/grafana-foundation-sdk/tempo';
import * as testdata from '@grafana/grafana-foundation-sdk/testdata';
import * as text from '@grafana/grafana-foundation-sdk/text';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as trend from '@grafana/grafana-foundation-sdk/trend';
import * as xychart from '@grafana/grafana-foundation-sdk/xychart';

// The foundation SDK's panel and query builders, found by what they build: a panel module's
// `PanelBuilder` sets its panel type, a data source module's `QueryBuilder` names its plugin.
// Import writes these modules' builders; the dashboard comparison reads their defaults.

/** A module of the SDK, by its subpath (`timeseries` is `@grafana/grafana-foundation-sdk/timeseries`). */
export interface SdkModule {
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's modules are read by their exports' names
  readonly exports: Record<string, any>;
}

const panelModules: Record<string, SdkModule['exports']> = {
  annotationslist,
  barchart,
  bargauge,
  candlestick,
  canvas,
  dashboardlist,
  datagrid,
  debug,
  gauge,
  geomap,
  heatmap,
  histogram,
  logs,
  news,
  nodegraph,
  piechart,
  stat,
  statetimeline,
  statushistory,
  table,
  text,
  timeseries,
  trend,
  xychart,
};

const queryModules: Record<string, SdkModule['exports']> = {
  athena,
  azuremonitor,
  bigquery,
  cloudwatch,
  datasource,
  elasticsearch,
  expr,
  googlecloudmonitoring,
  grafanapyroscope,
  loki,
  parca,
  prometheus,
  tempo,
  testdata,
};

/** Plugin ids Grafana uses besides the one the SDK's schema names. */
const pluginAliases: Record<string, string> = {
  'grafana-testdata-datasource': 'testdata',
  'grafana-pyroscope-datasource': 'grafanapyroscope',
};

const byPanelType = new Map(
  Object.entries(panelModules).map(([name, exports]) => [(new exports.PanelBuilder().build() as { type: string }).type, { name, exports }]),
);

const byPlugin = new Map(
  Object.entries(queryModules).map(([name, exports]) => [
    (new exports.QueryBuilder().build() as { group: string }).group,
    { name, exports },
  ]),
);

/** The module whose `PanelBuilder` builds panels of `type` (`state-timeline` → statetimeline), if the SDK has one. */
export function panelModule(type: string): SdkModule | undefined {
  return byPanelType.get(type);
}

/** The module whose builders build queries of a data source plugin (`prometheus`, `loki`, `__expr__`, …), if the SDK has one. */
export function queryModule(plugin: string): SdkModule | undefined {
  return byPlugin.get(pluginAliases[plugin] ?? plugin);
}

/** Fields whose value tells apart the builders of one kind of thing: a variable's or an expression's `type`, a CloudWatch query's `queryMode`. */
export const discriminators = ['type', 'kind', 'queryMode'];

type Json = Record<string, unknown>;

/** What a builder of the SDK builds before any call (constructor arguments empty). */
export const startOf = (Builder: new (...args: unknown[]) => { build(): unknown }): Json =>
  JSON.parse(JSON.stringify(new Builder('').build())) as Json;

/** Of several builders of one kind, the one whose start agrees with `value` on every discriminator it sets. */
export function matchingBuilder<B extends { readonly start: Json }>(candidates: readonly B[], value: Json): B | undefined {
  if (candidates.length <= 1) return candidates[0];
  return candidates.find(({ start }) => discriminators.every((key) => start[key] === undefined || start[key] === value[key]));
}

/**
 * The builder of a query of a data source plugin: its module's `DataqueryBuilder`, or, for a
 * plugin with several kinds of query (expressions, CloudWatch), the one `value` is. A query
 * builder builds an object that says it is a query (`_implementsDataqueryVariant`).
 */
export function queryBuilder(plugin: string, value: Json): { module: string; name: string; start: Json } | undefined {
  const module = queryModule(plugin);
  if (!module) return undefined;
  const builders = Object.entries(module.exports)
    .filter(([name, Builder]) => name.endsWith('Builder') && typeof Builder === 'function')
    .filter(
      ([, Builder]) =>
        typeof (new Builder('').build() as { _implementsDataqueryVariant?: unknown })._implementsDataqueryVariant === 'function',
    )
    .map(([name, Builder]) => ({ module: module.name, name, start: startOf(Builder) }));
  return builders.find((each) => each.name === 'DataqueryBuilder') ?? matchingBuilder(builders, value);
}
