import { findingKind } from '../kind.ts';

// Metrics and the selectors that read them.

export const counterWithoutTotal = findingKind(
  {
    id: 'metrics/counter-without-total',
    title: 'A counter whose name does not end in _total',
    cause:
      "Prometheus naming: counters end in `_total` (OpenMetrics exporters add it), and dashboards and linters tell counters by it; `_count` is a histogram's or summary's observation counter, which another program exports.",
    fix: "Rename the metric with `_total` at the end (the exporter's name, if it is not yours).",
  },
  (name: string) =>
    `counter ${name} must end in _total, or _count for a histogram's or summary's count (Prometheus naming; dashboards rely on it)`,
);

export const bucketsNotAscending = findingKind(
  {
    id: 'metrics/buckets-not-ascending',
    title: 'Histogram buckets out of order',
    cause: 'Bucket upper bounds must be positive and strictly ascending, as prom-client and Prometheus require.',
    fix: 'Sort the buckets and remove duplicates and non-positive values.',
  },
  (name: string, buckets: readonly number[]) => `histogram ${name} buckets must be positive and ascending (${buckets.join(', ')})`,
);

export const conflictingMetric = findingKind(
  {
    id: 'metrics/conflicting-definitions',
    title: 'One metric name defined twice, differently',
    cause:
      'Two `counter`/`gauge`/`histogram` definitions share a name but differ in kind, labels, unit or buckets: rules and instrumentation would disagree.',
    fix: 'Define the metric once and import it where it is used.',
  },
  (name: string) => `metric ${name} is defined twice with different kinds, labels, unit or buckets`,
);

export const wrongMetricKind = findingKind(
  {
    id: 'metrics/wrong-kind',
    title: 'A metric of the wrong kind for its use',
    cause:
      '`rate()` and ratios need a counter, quantiles and latency SLOs a histogram, gauge helpers a gauge. (Typed definitions do not compile; JavaScript ones reach the loader.)',
    fix: 'Use a metric of the kind the helper needs, or the helper that fits the metric.',
  },
  (name: string, is: string, needs: string, why: string) => `${name} is ${is}, not ${needs}: ${why}`,
);

export const unknownLabel = findingKind(
  {
    id: 'metrics/unknown-label',
    title: 'A selector on a label the metric does not have',
    cause: 'The selector matches a label the metric does not declare: the selection would be empty and the alert would never fire.',
    fix: "Use one of the metric's labels, or declare the label on the metric if the exporter has it.",
  },
  (metric: string, label: string, labels: readonly string[]) =>
    `${metric} has no label "${label}" (labels: ${labels.join(', ') || 'none'})`,
);

export const invalidRegexp = findingKind(
  {
    id: 'metrics/invalid-regexp',
    title: 'An invalid regular expression in a matcher',
    cause: 'The pattern of `re(...)` or `notRe(...)` does not parse; Prometheus would reject the rule.',
    fix: 'Fix the pattern (RE2 syntax, anchored by Prometheus).',
  },
  (metric: string, label: string, op: string, pattern: string) => `${metric}{${label}${op}"${pattern}"}: invalid regular expression`,
);
