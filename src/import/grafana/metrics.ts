import { parseDashboardQuery } from '../../check/dashboard-targets.ts';
import { counterFunctions } from '../../promql/ranges.ts';
import { type Code, call, json, raw } from './code.ts';

// The series an imported dashboard's PromQL reads, declared once as typed metrics: label names
// from every selector that names the series, so the dashboard lint can tell a misspelt series
// or label later. A histogram's `_bucket`, `_sum` and `_count` are one histogram; a `_total`,
// or a series read through rate(), is a counter; anything else (recording rules included) a gauge.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** Series Prometheus makes itself, which need no declaration. */
const builtIn = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE']);

/** `label_values(up{job="api"}, instance)`: the selector and the label a variable lists. */
const labelValues = /^\s*label_values\((.+),\s*(\w+)\s*\)\s*$/s;

export interface SeriesRead {
  readonly name: string;
  readonly labels: ReadonlySet<string>;
  /** Read through rate(), irate() or increase() somewhere: a counter. */
  readonly counter: boolean;
}

/** Every series the Prometheus queries of a dashboard read (panel queries, query variables), with the labels they match. */
export function seriesRead(dashboard: Json, isPrometheus: (reference: unknown) => boolean): SeriesRead[] {
  const found = new Map<string, { labels: Set<string>; counter: boolean }>();
  const read = (expr: string, listed?: string): void => {
    for (const selector of parseDashboardQuery(expr).selectors) {
      if (selector.name === undefined || selector.name.startsWith('__var_') || builtIn.has(selector.name)) continue;
      const entry = found.get(selector.name) ?? { labels: new Set<string>(), counter: false };
      for (const matcher of selector.matchers) if (matcher.label !== '__name__') entry.labels.add(matcher.label);
      if (listed) entry.labels.add(listed);
      entry.counter ||= selector.inRange && counterFunctions.includes(selector.function ?? '');
      found.set(selector.name, entry);
    }
  };
  const panels = objects(dashboard.panels).flatMap((panel) => [panel, ...objects(panel.panels)]);
  for (const panel of panels) {
    for (const target of objects(panel.targets)) {
      if (typeof target.expr === 'string' && target.expr.trim() !== '' && isPrometheus(target.datasource ?? panel.datasource))
        read(target.expr);
    }
  }
  const variables = objects(isObject(dashboard.templating) ? dashboard.templating.list : undefined);
  for (const variable of variables) {
    if (variable.type !== 'query' || !isPrometheus(variable.datasource)) continue;
    const query = isObject(variable.query) ? variable.query.query : variable.query;
    const match = typeof query === 'string' ? labelValues.exec(query) : null;
    if (match) read(match[1]!, match[2]);
  }
  return [...found].map(([name, { labels, counter }]) => ({ name, labels, counter }));
}

export interface MetricDeclaration {
  /** The constant's name in the metrics file. */
  readonly identifier: string;
  readonly name: string;
  readonly kind: 'counter' | 'gauge' | 'histogram';
  readonly labels: readonly string[];
  /** Titles of the dashboards that read it. */
  readonly readBy: readonly string[];
  /** The series names it stands for (`x_bucket`, `x_sum`, `x_count` of the histogram `x`). */
  readonly series: readonly string[];
}

/** `instance:node_cpu:rate5m` → `instanceNodeCpuRate5m`. */
export function camelCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words
    .map((word, index) => (index === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
  return /^[0-9]/.test(joined) ? `m${joined}` : joined || 'metric';
}

const suffixes = ['_bucket', '_sum', '_count'] as const;

/** One declaration per metric the dashboards read, sorted by name; `taken` are identifiers already in use. */
export function declareMetrics(
  reads: readonly { dashboard: string; series: readonly SeriesRead[] }[],
  taken: ReadonlySet<string> = new Set(),
): MetricDeclaration[] {
  const bySeries = new Map<string, { labels: Set<string>; readBy: Set<string>; counter: boolean }>();
  for (const { dashboard, series } of reads) {
    for (const each of series) {
      const entry = bySeries.get(each.name) ?? { labels: new Set(), readBy: new Set(), counter: false };
      for (const label of each.labels) entry.labels.add(label);
      entry.readBy.add(dashboard);
      entry.counter ||= each.counter;
      bySeries.set(each.name, entry);
    }
  }
  const histograms = new Set(
    [...bySeries.keys()].filter((name) => name.endsWith('_bucket')).map((name) => name.slice(0, -'_bucket'.length)),
  );
  const metrics = new Map<string, { kind: MetricDeclaration['kind']; labels: Set<string>; readBy: Set<string>; series: string[] }>();
  for (const [series, entry] of bySeries) {
    const base = suffixes
      .map((suffix) => (series.endsWith(suffix) ? series.slice(0, -suffix.length) : undefined))
      .find((each) => each !== undefined && histograms.has(each));
    const name = base ?? series;
    const kind = base !== undefined ? 'histogram' : series.endsWith('_total') || entry.counter ? 'counter' : 'gauge';
    const metric = metrics.get(name) ?? { kind, labels: new Set(), readBy: new Set(), series: [] };
    for (const label of entry.labels) if (!(kind === 'histogram' && label === 'le')) metric.labels.add(label);
    for (const title of entry.readBy) metric.readBy.add(title);
    metric.series.push(series);
    metrics.set(name, metric);
  }
  const used = new Set(taken);
  return [...metrics]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, metric]) => {
      let identifier = camelCase(name);
      for (let index = 2; used.has(identifier); index += 1) identifier = `${camelCase(name)}${index}`;
      used.add(identifier);
      return {
        identifier,
        name,
        kind: metric.kind,
        labels: [...metric.labels].sort(),
        readBy: [...metric.readBy].sort(),
        series: metric.series.sort(),
      };
    });
}

/** `counter({ name: 'x_total', help: '…', labels: ['a'] })`, the histogram's buckets unknown. */
export function metricCode(metric: MetricDeclaration): Code {
  const shown = metric.readBy.length > 3 ? [...metric.readBy.slice(0, 3), `${metric.readBy.length - 3} more`] : metric.readBy;
  const help = `Read by the dashboard${metric.readBy.length > 1 ? 's' : ''} ${shown.map((title) => `"${title}"`).join(', ')}.`;
  const entries: [string, Code][] = [
    ['name', json(metric.name)],
    ['help', json(help)],
  ];
  if (metric.labels.length > 0) entries.push(['labels', json(metric.labels)]);
  // Only its series are read here: its buckets are the exporter's, not the dashboards'.
  if (metric.kind === 'histogram') entries.push(['buckets', raw('[]')]);
  return call(metric.kind, [{ kind: 'object', entries }]);
}
