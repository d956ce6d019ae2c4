import { findingKind } from '../kind.ts';

// Threshold alerts: levels, expressions and annotation templates.

export const noLevels = findingKind(
  {
    id: 'alerts/no-levels',
    title: 'An alert without levels',
    cause: 'A threshold alert fires at one or more severities, each with its level; none means no rule.',
    fix: 'Give at least one of critical, high, warning or info.',
  },
  () => 'needs at least one level (critical, high, warning or info)',
);

export const levelsOrder = findingKind(
  {
    id: 'alerts/levels-out-of-order',
    title: 'Levels out of order',
    cause:
      'A more severe level must be further from normal: higher for an alert on values above the level, lower for one below. Otherwise the milder alert would fire after the severe one.',
    fix: "Swap the levels, or set `direction: 'below'` for an alert on values falling below them.",
  },
  (higher: string, higherLevel: number, relation: string, lower: string, lowerLevel: number, direction: string) =>
    `${higher} (${higherLevel}) must be ${relation} ${lower} (${lowerLevel}) for an alert on values ${direction} the level`,
);

export const escalationNotHigher = findingKind(
  {
    id: 'alerts/escalation-not-higher',
    title: 'An escalation that does not raise the severity',
    cause:
      "`escalate.to` must be more severe than the alert's mildest level; otherwise the escalated alert would be inhibited by the one it escalates.",
    fix: 'Escalate to a more severe severity, or remove the escalation.',
  },
  (to: string, mildest: string) => `${to} is not more severe than the mildest level (${mildest}): an escalation raises the severity`,
);

export const levelUnreachable = findingKind(
  {
    id: 'alerts/level-unreachable',
    title: 'A level the expression can never cross',
    cause:
      'A percentage never leaves 0–100, and `histogram_quantile` never returns more than the largest finite bucket: such a level never fires.',
    fix: "Choose a level within the expression's range (add a larger bucket to the histogram for a higher quantile level).",
  },
  (level: number, why: string) => `${level} ${why}`,
);

export const quantileOutOfRange = findingKind(
  {
    id: 'alerts/quantile-out-of-range',
    title: 'A quantile outside (0, 1)',
    cause: '`quantile(q, …)` takes q between 0 and 1; 95 where 0.95 was meant is the usual slip.',
    fix: 'Write 0.95 for p95.',
  },
  (quantile: number) => `${quantile} is outside (0, 1): write 0.95 for p95`,
);

export const trendSettings = findingKind(
  {
    id: 'alerts/trend-settings',
    title: 'A baseline or forecast setting that cannot work',
    cause:
      'A forecast needs a horizon and a lookback long enough to fit a trend; a baseline needs an offset of whole minutes and a minimum that is not negative.',
    fix: 'Use the values the message gives.',
  },
  (problem: string) => problem,
);

export const invalidPromql = findingKind(
  {
    id: 'promql/syntax',
    title: 'Invalid PromQL',
    cause: "An expression does not parse as PromQL (the parser is Prometheus's own grammar); Prometheus would refuse the rule file.",
    fix: 'Fix the expression at the position given.',
  },
  (error: string) => `invalid PromQL: ${error}`,
);

export const invalidTemplate = findingKind(
  {
    id: 'templates/invalid',
    title: 'An annotation template Prometheus would reject or render badly',
    cause:
      'A summary or description that does not parse as a Go template, uses an unknown function, or prints `$value` without formatting (float noise such as 0.30000000000000004).',
    fix: 'Fix the template as the message says (`{{ $value | humanize }}`, `{{ printf "%.2f" $value }}`).',
  },
  (problem: string) => problem,
);

export const templateUnknownLabel = findingKind(
  {
    id: 'templates/unknown-label',
    title: 'A template reads a label the alert does not have',
    cause: "The alert's series have only the labels its expression keeps; `$labels.x` of another label renders empty.",
    fix: 'Use one of the labels listed, or keep the label in the expression (`by`).',
  },
  (label: string, labels: readonly string[]) =>
    `$labels.${label} is not a label of the alert's series (it has: ${[...labels].sort().join(', ') || 'none'}); it would render empty`,
);

export const untestable = findingKind(
  {
    id: 'alerts/untestable',
    title: 'An alert monforge cannot write promtool tests for',
    cause:
      'Every alert ships with promtool tests built from synthetic series; some selector shapes (errors that are not a subset of the total) have none.',
    fix: "Make the numerator's selector a narrowing of the denominator's, or write the expression with `promql({ testSeries })`.",
  },
  (reason: string) => `cannot build promtool test series: ${reason}`,
);
