import type { Service } from '../model/service.ts';
import { rational, toPromqlNumber } from '../model/decimal.ts';
import { boundOperators, gaugeBound, type LatencySlo, type Slo } from '../model/slo.ts';
import { leMatcher, rateOf, renderSelector } from '../promql/render.ts';

// The raw series an SLO reads, rendered once: the SLO's recording rules count them, the check
// that compares a service's SLO rules with the shape its wiring tests exercise substitutes
// them, and the live check and coverage name the series a latency SLO cannot measure.

/**
 * Every raw selector of an SLO by its role; a latency SLO's `bucket` is the bucket at its
 * threshold, a gauge SLO's `total` its gauge and `badSamples` the gauge filtered to the samples
 * that miss its bound.
 */
export interface SloSelectors {
  readonly total: string;
  readonly errors?: string;
  readonly good?: string;
  readonly bucket?: string;
  readonly badSamples?: string;
}

export function sloSelectors(service: Pick<Service, 'selector'>, slo: Slo): SloSelectors {
  if (slo.kind === 'gauge') {
    const total = renderSelector(slo.gauge.metric.name, service, slo.gauge);
    if (slo.good === 'value') return { total };
    const bound = gaugeBound(slo.good);
    return { total, badSamples: `${total} ${boundOperators[bound.kind].bad} ${toPromqlNumber(rational(bound.value))}` };
  }
  if (slo.kind === 'latency') {
    const name = slo.histogram.metric.name;
    return {
      total: renderSelector(`${name}_count`, service, slo.histogram),
      bucket: renderSelector(`${name}_bucket`, service, slo.histogram, [leMatcher(slo.threshold)]),
    };
  }
  const total = renderSelector(slo.total.metric.name, service, slo.total);
  return slo.errors
    ? { total, errors: renderSelector(slo.errors.metric.name, service, slo.errors) }
    : { total, good: renderSelector(slo.good!.metric.name, service, slo.good!) };
}

/**
 * Requests per second, per histogram series of a latency SLO, that no bucket at the SLO's
 * threshold measures: the series' `_count` has traffic but the series has no bucket of that
 * `le` (a route or an instance with other buckets). Non-empty means the SLO does not see them:
 * the generated `…ThresholdBucketMissing` alert fires on it, and a live check can run it to name them.
 */
export function unmeasuredRequests(service: Pick<Service, 'selector'>, slo: LatencySlo): string {
  const { total, bucket } = sloSelectors(service, slo);
  return `${rateOf(total, '5m')} > 0 unless ignoring(le) ${bucketPresent(bucket!)}`;
}

/**
 * A series' threshold bucket over the last 5m: a range, not an instant selector, which a
 * failed scrape's staleness marker would empty while the rates still see the series.
 */
export const bucketPresent = (bucket: string): string => `last_over_time(${bucket}[5m])`;
