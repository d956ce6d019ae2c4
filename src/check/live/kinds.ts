import * as live from '../../findings/catalog/live.ts';
import type { Metric, MetricKind } from '../../model/metric.ts';
import type { Platform } from '../../model/platform.ts';
import { goFloat } from '../../promql/numbers.ts';
import { quoted } from '../../reader/lines.ts';
import type { PrometheusClient } from './client.ts';
import { matcherOf } from '../../model/selector.ts';
import { declarationOrigin, selectorText, serviceMatchers } from './selections.ts';
import { fetchMatchers, type SeriesIndex, type Span } from './series.ts';
import { pending, type Pending, type Selection } from './types.ts';

// Types against the server's metadata: a counter declared as a gauge or the reverse, a
// histogram the server has no `_bucket` series of, a summary read as a histogram, a gauge that
// hand-written PromQL rates, a counter it reads for its value; and each latency SLO's threshold against the buckets the server has.

/** What goes wrong when a metric of the server's type is read as the declared one. */
function consequence(declared: MetricKind, actual: string): string {
  if (declared === 'gauge' && actual === 'counter') return 'its raw value only grows, so levels compared with it are met once and stay met';
  if (declared === 'counter' && actual === 'gauge') return 'rate() of a gauge is meaningless and drops at every decrease';
  return `the ${declared} expressions built on it read series it does not have`;
}

/** The server's types for a name, asked once each: a counter may be listed without `_total` (OpenMetrics drops it). */
function serverTypes(client: PrometheusClient): (name: string) => Promise<Set<string>> {
  const asked = new Map<string, Promise<Set<string>>>();
  const ask = async (name: string): Promise<Set<string>> => {
    let entries = await client.metadata(name);
    if (entries.length === 0 && name.endsWith('_total')) entries = await client.metadata(name.slice(0, -'_total'.length));
    return new Set(entries.map((entry) => entry.type).filter((type) => type !== 'unknown' && type !== 'untyped'));
  };
  return (name) => {
    let types = asked.get(name);
    if (!types) {
      types = ask(name);
      asked.set(name, types);
    }
    return types;
  };
}

/** Every declared metric some definition reads, by name, with the selections that read it. */
function declaredMetrics(selections: readonly Selection[]): Map<string, { metric: Metric; selections: Selection[] }> {
  const byName = new Map<string, { metric: Metric; selections: Selection[] }>();
  for (const selection of selections) {
    if (!selection.metric || selection.generated) continue;
    const entry = byName.get(selection.metric.name) ?? { metric: selection.metric, selections: [] };
    entry.selections.push(selection);
    byName.set(selection.metric.name, entry);
  }
  return byName;
}

/** The change of a gauge, for what rates it: `deriv` per second, `delta` over the window. */
const gaugeChange = (fn: string): string => (fn === 'increase' ? 'delta' : 'deriv');

/**
 * Hand-written PromQL that reads a series against the only type the server's metadata gives it
 * (pint's promql/rate and promql/counter): a gauge rated, a counter read for its value.
 */
async function misreadTypes(
  selections: readonly Selection[],
  index: SeriesIndex,
  typesOf: (name: string) => Promise<Set<string>>,
): Promise<Pending[]> {
  const read = selections.filter(
    (selection) =>
      selection.raw &&
      !selection.generated &&
      (selection.range || selection.valueRead) &&
      (index.select(selection.name, fetchMatchers(selection))?.length ?? 0) > 0,
  );
  const findings = await Promise.all(
    read.map(async (selection): Promise<Pending[]> => {
      const types = await typesOf(selection.name);
      const at = { ...selection.origin, anchors: [...selection.origin.anchors, selection.name] };
      if (selection.range && types.size === 1 && types.has('gauge')) {
        const { fn, text } = selection.range;
        return [
          pending(
            live.ratedGauge(`${fn}(${selection.name}[${text}])`, selection.name),
            'error',
            at,
            `read its change with ${gaugeChange(fn)}(${selection.name}[${text}]), or ${fn} a counter`,
          ),
        ];
      }
      if (selection.valueRead && types.size === 1 && types.has('counter'))
        return [
          pending(live.counterValue(selection.name), 'warning', at, `read rate(${selection.name}[…]) or increase(${selection.name}[…])`),
        ];
      return [];
    }),
  );
  return findings.flat();
}

/** Type findings: one metadata question per declared or rated metric, one `le` question per histogram. */
export async function typeFindings(
  client: PrometheusClient,
  selections: readonly Selection[],
  index: SeriesIndex,
  span: Span,
): Promise<Pending[]> {
  const typesOf = serverTypes(client);
  const findings = await Promise.all(
    [...declaredMetrics(selections).values()].map(async ({ metric, selections: reading }): Promise<Pending[]> => {
      const types = await typesOf(metric.name);
      if (types.size === 0) return [];
      const actual = [...types].sort().join(' or ');
      const at = declarationOrigin(metric, 'kind');
      if (!types.has(metric.kind)) {
        if (metric.kind === 'histogram' && types.has('summary'))
          return [
            pending(
              live.summaryAsHistogram(metric.name),
              'error',
              at,
              `read it with raw PromQL (${metric.name}{quantile="0.95"}), or instrument it as a histogram`,
            ),
          ];
        const suggested = (['counter', 'gauge', 'histogram'] as const).find((kind) => types.has(kind));
        return [
          pending(
            live.kindMismatch(metric.name, actual, metric.kind, consequence(metric.kind, actual)),
            'error',
            at,
            suggested ? `declare it with ${suggested}(…)` : `read it with raw PromQL: monforge has no ${actual} metrics`,
          ),
        ];
      }
      if (metric.kind !== 'histogram') return [];
      // `_count` found but no bucket: buckets dropped by relabelling, or a summary-like exporter.
      const counted = reading.filter((selection) => (index.select(selection.name, fetchMatchers(selection))?.length ?? 0) > 0);
      if (counted.length === 0) return [];
      const buckets = await client.labelValues(
        'le',
        [...new Set(counted.map((selection) => selectorText(`${metric.name}_bucket`, fetchMatchers(selection))))],
        span.start,
        span.end,
      );
      if (buckets.length > 0) return [];
      return [
        pending(
          live.noBuckets(metric.name),
          'error',
          at,
          `keep ${metric.name}_bucket (check the scrape job's metric_relabel_configs), or declare what the server has`,
        ),
      ];
    }),
  );
  return [...findings.flat(), ...(await misreadTypes(selections, index, typesOf))];
}

/** The latency SLOs of the platform, each with the selector of its histogram's buckets. */
function latencySlos(platform: Platform) {
  return platform.services.flatMap((service) =>
    (service.slos ?? []).flatMap((slo) => {
      if (slo.kind !== 'latency') return [];
      const own = Object.entries(slo.histogram.matchers).map(([label, value]) => ({ label, ...matcherOf(value) }));
      return [{ service, slo, name: `${slo.histogram.metric.name}_bucket`, matchers: [...serviceMatchers(service.selector), ...own] }];
    }),
  );
}

/** What to fetch for the latency SLOs' buckets: their histograms' `_bucket` series within each SLO's selector. */
export function bucketSelections(platform: Platform): Selection[] {
  return latencySlos(platform).map(({ service, slo, name, matchers }) => ({
    origin: { file: service.source, object: `service "${service.name}" › slo "${slo.name}"`, anchors: [] },
    name,
    matchers,
    serviceMatchers: matchers.length,
  }));
}

/** Latency SLOs whose threshold is not a bucket bound the server has: their good events read no series. */
export function sloBucketFindings(platform: Platform, index: SeriesIndex): Pending[] {
  return latencySlos(platform).flatMap(({ service, slo, name, matchers }): Pending[] => {
    const numbers = [...new Set((index.select(name, matchers) ?? []).map((labels) => Number(labels.le)))].filter(
      (bound) => !Number.isNaN(bound),
    );
    if (numbers.length === 0 || numbers.some((bound) => Math.abs(bound - slo.threshold) <= 1e-9 * Math.max(1, slo.threshold))) return [];
    const sorted = numbers.sort((a, b) => a - b);
    const below = sorted.filter((bound) => bound < slo.threshold).at(-1);
    const above = sorted.find((bound) => bound > slo.threshold && Number.isFinite(bound));
    const nearest = [below, above].filter((bound): bound is number => bound !== undefined);
    return [
      pending(
        live.sloBucket(slo.threshold, slo.histogram.metric.name, sorted.filter(Number.isFinite).map(goFloat).join(', ')),
        'error',
        {
          file: service.source,
          object: `service "${service.name}" › slo "${slo.name}"`,
          field: 'threshold',
          anchors: [quoted(service.name), quoted(slo.name), /\bthreshold\s*:/],
        },
        nearest.length > 0
          ? `use a bucket the server has (${nearest.join(' or ')}), or add ${slo.threshold} to the histogram's buckets in the instrumentation`
          : `add ${slo.threshold} to the histogram's buckets in the instrumentation`,
      ),
    ];
  });
}
