import { findingKind } from '../kind.ts';

// SLO definitions.

export const objectiveOutOfRange = findingKind(
  {
    id: 'slos/objective-out-of-range',
    title: 'An objective outside (0, 100)',
    cause: 'Objectives are percentages: 100 leaves no error budget, 0 or less means nothing.',
    fix: 'Write the objective in percent, e.g. 99.9.',
  },
  (objective: number) => `${objective} is outside (0, 100): write the objective in percent, e.g. 99.9`,
);

export const objectiveAsRatio = findingKind(
  {
    id: 'slos/objective-as-ratio',
    title: 'An objective written as a ratio',
    cause: 'An objective below 1 is almost always a ratio (0.999) where a percentage (99.9) was meant: the alerts would fire on any error.',
    fix: 'Multiply by 100.',
  },
  (objective: number) => `${objective} looks like a ratio: write the objective in percent (${Number((objective * 100).toPrecision(12))})`,
);

export const windowTooShort = findingKind(
  {
    id: 'slos/window-too-short',
    title: 'An SLO window shorter than 7 days',
    cause: "The ticket tier's burn-rate alert looks back 3 days; a shorter SLO window cannot hold it.",
    fix: 'Use a window of 7d or more (28d or 30d is usual).',
  },
  (window: string) => `${window} is shorter than 7d: burn-rate alerts look back up to 3d`,
);

export const ratioSloEvents = findingKind(
  {
    id: 'slos/ratio-needs-errors-or-good',
    title: 'A ratio SLO without exactly one of errors and good',
    cause:
      'A ratio SLO counts either its failed events (`errors`) or its good ones (`good`) against `total`; both or neither is ambiguous.',
    fix: 'Give exactly one of `errors` and `good`.',
  },
  () => 'a ratio SLO needs exactly one of `errors` and `good`',
);

export const thresholdNotBucket = findingKind(
  {
    id: 'slos/threshold-not-bucket',
    title: 'A latency threshold that is not a histogram bucket',
    cause: 'A latency SLO counts the requests in the `le` bucket of its threshold; without that bucket the SLI cannot be computed exactly.',
    fix: "Use one of the histogram's buckets as the threshold, or add the threshold to the buckets (and to the exporter).",
  },
  (threshold: number, metric: string, buckets: readonly number[]) => `${threshold} is not a bucket of ${metric} (${buckets.join(', ')})`,
);

export const tierNeverFires = findingKind(
  {
    id: 'slos/tier-never-fires',
    title: 'A burn-rate tier that can never fire',
    cause: "At a low objective the tier's burn factor × the error budget is an error ratio above 100 %: no traffic can reach it.",
    fix: 'Raise the objective above the figure given, or disable the tier (`tiers: { page: false }`).',
  },
  (factor: string, window: string, ratio: string, objective: number, minimum: number, tier: string) =>
    `can never fire: ${factor}× the error budget over ${window} is an error ratio of ${ratio} % at objective ${objective}; raise the objective above ${minimum} or disable the ${tier} tier`,
);

export const reservedLabel = findingKind(
  {
    id: 'slos/reserved-label',
    title: 'An SLO or tier label monforge sets itself',
    cause:
      "monforge labels every SLO rule and burn alert with `service` and `slo`, and its alerts with `team`, `severity` and `tier`: routing, inhibition and the dashboards key on them, so an SLO's own `labels` may not replace them.",
    fix: 'Use another label name (a Sloth `tier` label of the service, for instance, could be `service_tier`).',
  },
  (label: string, own: readonly string[]) =>
    `"${label}" is set by monforge on every SLO rule and alert (${own.join(', ')}); use another name`,
);

export const annotationUnknownLabel = findingKind(
  {
    id: 'slos/annotation-unknown-label',
    title: 'An SLO annotation reads a label its series do not have',
    cause:
      "Prometheus renders `$labels` from the series an alert fires on: an SLO's recorded series, with `service`, `slo` and the SLO's own `labels`, not the rule's labels (`team`, `severity`, `tier`). A template reading another label renders empty.",
    fix: "Read one of the labels listed, or add the label to the SLO's `labels`.",
  },
  (label: string, labels: readonly string[]) =>
    `$labels.${label} is not a label of the SLO's series (it has: ${[...labels].sort().join(', ')}); it would render empty`,
);

export const alertNameTaken = findingKind(
  {
    id: 'slos/alert-name-taken',
    title: "An SLO's alert name that another alert of the service has",
    cause: 'Tests and routes find alerts by name: two alerts of one service under one name could not be told apart.',
    fix: 'Give the SLO another `alertName`, or leave it out for the default `<Service><Slo>BudgetBurn<Tier>`.',
  },
  (name: string, owner: string) => `"${name}" is already the name of ${owner}`,
);
