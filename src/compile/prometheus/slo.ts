import {
  burnFactor,
  burnThreshold,
  defaultTierFor,
  enabledTiers,
  errorBudget,
  sliWindows,
  sloWindow,
  tierSeverity,
  tierWindows,
} from '../../model/burn-rate.ts';
import { mul, rational, toDecimal, toNumber, toPromqlNumber, type Rational } from '../../model/decimal.ts';
import { seconds, type Duration } from '../../model/duration.ts';
import type { PlatformConfig } from '../../model/config.ts';
import type { Service } from '../../model/service.ts';
import type { BurnTier, Slo } from '../../model/slo.ts';
import { burnAlertName, runbookUrl } from '../../model/alert-names.ts';
import { sliErrorRecord, sloLabels, sloSelector } from '../../derive/records.ts';
import { leMatcher, rateOf, renderSelector, sumBy } from '../../promql/render.ts';
import { alertAnnotations, alertLabels } from './labels.ts';
import type { AlertingRule, RecordingRule, RuleGroup } from './rules.ts';

/** Error ratio of the SLI over a window, straight from the raw series; selectors rendered once for every window. */
export function sliErrorRatio(service: Service, slo: Slo): (window: Duration) => string {
  const rate = (selector: string) => (window: Duration) => sumBy([], rateOf(selector, window));
  if (slo.kind === 'latency') {
    const name = slo.histogram.metric.name;
    const fast = rate(renderSelector(`${name}_bucket`, service, slo.histogram, [leMatcher(slo.threshold)]));
    const all = rate(renderSelector(`${name}_count`, service, slo.histogram));
    return (window) => `1 - (${fast(window)} / ${all(window)})`;
  }
  const total = rate(renderSelector(slo.total.metric.name, service, slo.total));
  if (slo.errors) {
    const errors = rate(renderSelector(slo.errors.metric.name, service, slo.errors));
    return (window) => `${errors(window)} / ${total(window)}`;
  }
  const good = rate(renderSelector(slo.good!.metric.name, service, slo.good!));
  return (window) => `1 - (${good(window)} / ${total(window)})`;
}

/**
 * SLI recording rules: every alert window from the raw series, and the SLO window as the
 * mean of the 5m rule, so a 30d window never scans 30 days of raw samples.
 */
function sliRules(service: Service, slo: Slo): RecordingRule[] {
  const labels = sloLabels(service, slo);
  const window = sloWindow(slo);
  const short = `${sliErrorRecord('5m')}${sloSelector(service, slo)}`;
  const errorRatio = sliErrorRatio(service, slo);
  return sliWindows(slo).map((each) => ({
    record: sliErrorRecord(each),
    expr:
      each === window && seconds(window) > seconds('3d')
        ? `sum_over_time(${short}[${window}]) / count_over_time(${short}[${window}])`
        : errorRatio(each),
    labels,
  }));
}

function metadataRules(service: Service, slo: Slo): RecordingRule[] {
  const labels = sloLabels(service, slo);
  const budget = toDecimal(errorBudget(slo));
  const selector = sloSelector(service, slo);
  const window = sloWindow(slo);
  return [
    { record: 'slo:objective:ratio', expr: `vector(${toDecimal(mul(rational(slo.objective), rational('0.01')))})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(${budget})`, labels },
    { record: 'slo:time_period:days', expr: `vector(${toPromqlNumber(rational(seconds(window) / 86400))})`, labels },
    { record: 'slo:current_burn_rate:ratio', expr: `${sliErrorRecord('5m')}${selector} / ${budget}`, labels },
    { record: 'slo:period_burn_rate:ratio', expr: `${sliErrorRecord(window)}${selector} / ${budget}`, labels },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${selector}`, labels },
  ];
}

/** `14.4`, or `0.9333` for factors with no finite decimal: four significant digits, for humans only. */
const readable = (value: Rational | number): string => String(Number((typeof value === 'number' ? value : toNumber(value)).toPrecision(4)));

const percent = (value: Rational): string => `${readable(mul(value, rational(100)))} %`;

function burnAlert(config: PlatformConfig, service: Service, slo: Slo, tier: BurnTier): AlertingRule {
  const selector = sloSelector(service, slo);
  const conditions = tierWindows[tier].map((window) => {
    const threshold = toPromqlNumber(burnThreshold(slo, window));
    return `(${sliErrorRecord(window.long)}${selector} > ${threshold} and ${sliErrorRecord(window.short)}${selector} > ${threshold})`;
  });
  const name = burnAlertName(service.name, slo.name, tier);
  const windows = tierWindows[tier]
    .map(
      (window) =>
        `${readable(burnFactor(slo, window))}× over ${window.long} and ${window.short} (error ratio > ${percent(burnThreshold(slo, window))})`,
    )
    .join(', or ');
  const first = tierWindows[tier][0]!;
  const daysLeft = seconds(sloWindow(slo)) / 86400 / toNumber(burnFactor(slo, first));
  return {
    alert: name,
    expr: conditions.join(' or '),
    for: slo.tiers?.[tier]?.for ?? defaultTierFor[tier],
    labels: alertLabels(service, tierSeverity[tier], { slo: slo.name, tier }),
    annotations: alertAnnotations(
      `${service.name}: SLO "${slo.name}" is burning its error budget ${tier === 'page' ? 'fast' : 'steadily'}`,
      `The ${slo.objective} % ${sloWindow(slo)} objective of ${service.name}/${slo.name} is burning its budget (${percent(errorBudget(slo))} errors) at ${windows}. At ${readable(burnFactor(slo, first))}× the whole budget is gone in ${readable(daysLeft)} days.`,
      runbookUrl(config, name),
    ),
  };
}

/** One group per SLO: rules in a group run in order, so alerts always see this round's SLIs. */
export function sloGroup(config: PlatformConfig, service: Service, slo: Slo): RuleGroup {
  return {
    name: `${service.name}-slo-${slo.name}`,
    rules: [
      ...sliRules(service, slo),
      ...metadataRules(service, slo),
      ...enabledTiers(slo).map((tier) => burnAlert(config, service, slo, tier)),
    ],
  };
}
