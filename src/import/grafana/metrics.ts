import { builtInSeries } from '../../check/known-series.ts';
import { parseDashboardQuery } from '../../check/dashboard-targets.ts';
import { counterFunctions } from '../../promql/ranges.ts';

// The series an imported dashboard's PromQL reads, with the label names of every selector that
// names them: the import's metric catalog declares each once, so the dashboard lint can tell a
// misspelt series or label later. A series read through rate() is a counter.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** Series Prometheus makes itself, which need no declaration. */
const builtIn = new Set(builtInSeries);

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
