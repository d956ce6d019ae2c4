import type { Metric } from '../model/metric.ts';
import type { Platform } from '../model/platform.ts';
import type { FileSet } from '../output/fileset.ts';
import { ruleFileFacts } from './rule-files.ts';

/** The series a dashboard may select: anything else is a typo that draws an empty panel. */
export interface KnownSeries {
  readonly names: ReadonlySet<string>;
  /** Ever-growing series, only meaningful inside rate/irate/increase. */
  readonly counters: ReadonlySet<string>;
}

/** Series Prometheus makes itself: `up` for every target, `ALERTS` for every active alert. */
const builtIn = ['up', 'ALERTS', 'ALERTS_FOR_STATE'];

/** Metric definitions → series names: a histogram is its `_bucket`, `_sum` and `_count` counters. */
function metricSeries(metric: Metric): { name: string; counter: boolean }[] {
  if (metric.kind === 'histogram')
    return ['_bucket', '_sum', '_count'].map((suffix) => ({ name: `${metric.name}${suffix}`, counter: true }));
  return [{ name: metric.name, counter: metric.kind === 'counter' }];
}

/**
 * Defined metrics (those selectors use and those raw PromQL declares it reads), the recording
 * rules of the generated rule files, and Prometheus' own series.
 */
export function knownSeries(platform: Platform, files: FileSet): KnownSeries {
  const metrics = [...platform.metrics.values()];
  for (const service of platform.services) {
    for (const alert of service.alerts ?? []) if (alert.expr.kind === 'promql') metrics.push(...(alert.expr.metrics ?? []));
  }
  const series = metrics.flatMap(metricSeries);
  const recorded = [...ruleFileFacts(files).values()].flatMap((facts) => facts.records);
  return {
    names: new Set([...builtIn, ...series.map((each) => each.name), ...recorded]),
    counters: new Set(series.filter((each) => each.counter).map((each) => each.name)),
  };
}
