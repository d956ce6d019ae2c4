import { leLabel, type SliCounter } from '../../../derive/test-series.ts';
import { seriesName, type LabelSet } from '../../../derive/test-labels.ts';
import type { TestSeries } from '../../../model/expr.ts';
import type { Service } from '../../../model/service.ts';
import type { LatencySlo } from '../../../model/slo.ts';
import { javaFloat } from '../../../promql/numbers.ts';
import { labelsFor } from '../../../derive/test-labels.ts';

// The raw input series of an SLO's promtool tests, per service and per shape: each counter
// from two exporters that spell `le` differently, and for a latency SLO a third exporter whose
// histogram has no bucket at the threshold (its traffic must not count as slow).

/** Exporters of every counter; a latency SLO's unmeasured one comes on top. */
export const instances = 2;

/** A second exporter's `le`: Java's spelling where it differs from Go's (`1.0`, `5.0E-5`), else one with a trailing zero (`0.20`). */
function otherLe(bound: number): string {
  if (bound === Number.POSITIVE_INFINITY) return '+Inf';
  const java = javaFloat(bound);
  return java !== leLabel(bound) ? java : `${java}0`;
}

/** The label that tells the exporters apart: `instance`, unless the selectors pin it. */
const exporterLabel = (labels: LabelSet): string => ['instance', 'pod', 'replica'].find((label) => !(label in labels))!;

/** One series per counter and exporter, its values in promtool's notation from `values(counter, instance)`. */
export function counterSeries(counters: readonly SliCounter[], values: (counter: SliCounter, instance: number) => string): TestSeries[] {
  return counters.flatMap((counter) =>
    Array.from({ length: instances }, (_, instance) => {
      const le: LabelSet = counter.le === undefined ? {} : { le: instance === 0 ? leLabel(counter.le) : otherLe(counter.le) };
      return {
        series: seriesName(counter.name, { ...counter.labels, ...le, [exporterLabel(counter.labels)]: `instance-${instance}` }),
        values: values(counter, instance),
      };
    }),
  );
}

/** The labels of the exporter whose histogram lacks the threshold's bucket (its `_count`, without `__name__`). */
export function unmeasuredLabels(service: Pick<Service, 'selector'>, slo: LatencySlo): LabelSet {
  const labels = labelsFor(service, slo.histogram, {});
  return { ...labels, [exporterLabel(labels)]: `instance-${instances}` };
}

/** The `_count` and `+Inf` bucket of that exporter, both counting with `values`. */
export function unmeasuredSeries(service: Pick<Service, 'selector'>, slo: LatencySlo, values: string): TestSeries[] {
  const labels = unmeasuredLabels(service, slo);
  const name = slo.histogram.metric.name;
  return [
    { series: seriesName(`${name}_count`, labels), values },
    { series: seriesName(`${name}_bucket`, { ...labels, le: '+Inf' }), values },
  ];
}
