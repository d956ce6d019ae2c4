import type { Metric } from '../model/metric.ts';
import type { Platform } from '../model/platform.ts';
import type { FileSet } from '../output/fileset.ts';
import { ruleFileFacts } from './rule-files.ts';

/** The series a dashboard may select: anything else is a typo that draws an empty panel. */
export interface KnownSeries {
  readonly names: ReadonlySet<string>;
  /** Ever-growing series, only meaningful inside rate/irate/increase. */
  readonly counters: ReadonlySet<string>;
  /**
   * The label names a selector of a defined metric may match: its own, the target labels
   * (`job`, `instance`, those of the services' selectors) and `le` on histogram buckets.
   * Recording rules and Prometheus' own series are not listed: their labels are not declared.
   */
  readonly labels?: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Series Prometheus makes itself: `up` and the `scrape_*` series for every target scrape
 * (docs: "Jobs and instances"), `ALERTS` for every active alert. Their labels are each scrape
 * job's: never declared.
 */
export const builtInSeries: readonly string[] = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
  'ALERTS',
  'ALERTS_FOR_STATE',
];

/** Metric definitions → series names: a histogram is its `_bucket`, `_sum` and `_count` counters. */
function metricSeries(metric: Metric): { name: string; counter: boolean; labels: readonly string[] }[] {
  if (metric.kind === 'histogram')
    return ['_bucket', '_sum', '_count'].map((suffix) => ({
      name: `${metric.name}${suffix}`,
      counter: true,
      labels: suffix === '_bucket' ? [...metric.labels, 'le'] : metric.labels,
    }));
  return [{ name: metric.name, counter: metric.kind === 'counter', labels: metric.labels }];
}

/**
 * Defined metrics (those selectors use and those raw PromQL declares it reads), the recording
 * rules of the generated rule files, and Prometheus' own series.
 */
export function knownSeries(platform: Platform, files: FileSet): KnownSeries {
  const metrics = [...platform.metrics.values(), ...platform.dashboards.flatMap((dashboard) => dashboard.metrics)];
  for (const service of platform.services) {
    for (const alert of service.alerts ?? []) if (alert.expr.kind === 'promql') metrics.push(...(alert.expr.metrics ?? []));
  }
  const series = metrics.flatMap(metricSeries);
  const targetLabels = ['job', 'instance', ...platform.services.flatMap((service) => Object.keys(service.selector))];
  // A name defined twice (a dashboard reading a service's metric) may match the labels of either.
  const labels = new Map<string, Set<string>>();
  for (const each of series) {
    const known = labels.get(each.name) ?? new Set(targetLabels);
    for (const label of each.labels) known.add(label);
    labels.set(each.name, known);
  }
  const recorded = [...ruleFileFacts(files).values()].flatMap((facts) => facts.records);
  for (const name of recorded) labels.delete(name);
  return {
    names: new Set([...builtInSeries, ...series.map((each) => each.name), ...recorded]),
    counters: new Set(series.filter((each) => each.counter).map((each) => each.name)),
    labels,
  };
}
