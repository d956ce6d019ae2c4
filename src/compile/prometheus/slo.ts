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
import { boundOperators, gaugeBound, type BurnTier, type GaugeBound, type Slo } from '../../model/slo.ts';
import { burnAlertName, runbookUrl } from '../../model/alert-names.ts';
import { sliBadEventsRecord, sliErrorRecord, sliEventsRecord, sloRuleLabels, sloSelector } from '../../derive/records.ts';
import { leMatcher, rateOf, renderSelector, sumBy } from '../../promql/render.ts';
import { alertAnnotations, alertLabels } from './labels.ts';
import type { AlertingRule, RecordingRule, RuleGroup } from './rules.ts';

/** The window of the recorded aggregates, and the shortest SLI window (the page tier's short one). */
export const aggregateWindow: Duration = '5m';
/** Windows this long or longer are computed in the SLO's slow group. */
export const slowFrom: Duration = '1d';
/**
 * The slow group's interval: well under Prometheus's 5m lookback, so the alerts that read its
 * series across groups always find this or the previous round's value, even after a missed round.
 */
export const slowInterval: Duration = '2m';

export const isSlowWindow = (window: Duration): boolean => seconds(window) >= seconds(slowFrom);

/** The slow group's name: `<service>-slo-<slo>-long`. */
export const slowGroupName = (service: Service, slo: Slo): string => `${sloGroupName(service, slo)}-long`;
export const sloGroupName = (service: Service, slo: Slo): string => `${service.name}-slo-${slo.name}`;

/**
 * The two recorded aggregates, straight from the raw series: events per second and bad events
 * per second over 5m, summed to the SLO's labels. The bad rate reads the events record (the
 * rule before it) instead of the raw series again, and is 0 rather than absent while there is
 * traffic but no error series yet. A gauge SLO's events are its series' samples at each
 * evaluation over the last 5m (a subquery at the evaluation interval), bad when they miss the bound.
 */
function aggregateRules(service: Service, slo: Slo): RecordingRule[] {
  const labels = sloRuleLabels(service, slo);
  const events = `${sliEventsRecord}${sloSelector(service, slo)}`;
  const rate = (selector: string): string => sumBy([], rateOf(selector, aggregateWindow));
  let total: string;
  let bad: string;
  if (slo.kind === 'latency') {
    const name = slo.histogram.metric.name;
    total = rate(renderSelector(`${name}_count`, service, slo.histogram));
    bad = `${events} - on() ${rate(renderSelector(`${name}_bucket`, service, slo.histogram, [leMatcher(slo.threshold)]))}`;
  } else if (slo.kind === 'gauge' && slo.good === 'value') {
    // Every scraped sample: its value good, the rest of 1 bad.
    const gauge = renderSelector(slo.gauge.metric.name, service, slo.gauge);
    total = `sum(count_over_time(${gauge}[${aggregateWindow}]))`;
    bad = `${events} - on() sum(sum_over_time(${gauge}[${aggregateWindow}]))`;
  } else if (slo.kind === 'gauge') {
    const samples = (filter: string): string =>
      `sum_over_time(count(${renderSelector(slo.gauge.metric.name, service, slo.gauge)}${filter})[${aggregateWindow}:])`;
    const bound = gaugeBound(slo.good as GaugeBound);
    total = samples('');
    bad = `${samples(` ${boundOperators[bound.kind].bad} ${toPromqlNumber(rational(bound.value))}`)} or on() 0 * ${events}`;
  } else if (slo.errors) {
    total = rate(renderSelector(slo.total.metric.name, service, slo.total));
    bad = `${rate(renderSelector(slo.errors.metric.name, service, slo.errors))} or on() 0 * ${events}`;
  } else {
    total = rate(renderSelector(slo.total.metric.name, service, slo.total));
    bad = `${events} - on() (${rate(renderSelector(slo.good!.metric.name, service, slo.good!))} or vector(0))`;
  }
  return [
    { record: sliEventsRecord, expr: total, labels },
    { record: sliBadEventsRecord, expr: bad, labels },
  ];
}

/**
 * The error ratio over a window, weighted by traffic: bad events over all events, both summed
 * from the 5m aggregates. Minutes without traffic add nothing to either sum, so an idle night
 * weighs nothing and a window is NaN only when it saw no traffic at all.
 */
export function windowRatio(service: Service, slo: Slo, window: Duration): string {
  const selector = sloSelector(service, slo);
  if (window === aggregateWindow) return `${sliBadEventsRecord}${selector} / ${sliEventsRecord}${selector}`;
  return `sum_over_time(${sliBadEventsRecord}${selector}[${window}]) / sum_over_time(${sliEventsRecord}${selector}[${window}])`;
}

function windowRules(service: Service, slo: Slo, slow: boolean): RecordingRule[] {
  const labels = sloRuleLabels(service, slo);
  return sliWindows(slo)
    .filter((window) => isSlowWindow(window) === slow)
    .map((window) => ({ record: sliErrorRecord(window), expr: windowRatio(service, slo, window), labels }));
}

function metadataRules(service: Service, slo: Slo): RecordingRule[] {
  const labels = sloRuleLabels(service, slo);
  const budget = toDecimal(errorBudget(slo));
  const selector = sloSelector(service, slo);
  const window = sloWindow(slo);
  return [
    { record: 'slo:objective:ratio', expr: `vector(${toDecimal(mul(rational(slo.objective), rational('0.01')))})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(${budget})`, labels },
    { record: 'slo:time_period:days', expr: `vector(${toPromqlNumber(rational(seconds(window) / 86400))})`, labels },
    { record: 'slo:period_burn_rate:ratio', expr: `${sliErrorRecord(window)}${selector} / ${budget}`, labels },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${selector}`, labels },
  ];
}

function currentBurnRule(service: Service, slo: Slo): RecordingRule {
  const expr = `${sliErrorRecord(aggregateWindow)}${sloSelector(service, slo)} / ${toDecimal(errorBudget(slo))}`;
  return { record: 'slo:current_burn_rate:ratio', expr, labels: sloRuleLabels(service, slo) };
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
  const name = burnAlertName(service.name, slo, tier);
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
    labels: alertLabels(service, tierSeverity[tier], { slo: slo.name, tier, ...slo.labels, ...slo.tiers?.[tier]?.labels }),
    annotations: {
      ...alertAnnotations(
        `${service.name}: SLO "${slo.name}" is burning its error budget ${tier === 'page' ? 'fast' : 'steadily'}`,
        `The ${slo.objective} % ${sloWindow(slo)} objective of ${service.name}/${slo.name} is burning its budget (${percent(errorBudget(slo))} errors) at ${windows}. At ${readable(burnFactor(slo, first))}× the whole budget is gone in ${readable(daysLeft)} days.`,
        runbookUrl(config, name),
      ),
      ...slo.annotations,
      ...slo.tiers?.[tier]?.annotations,
    },
  };
}

/**
 * Two groups per SLO. The first, at the global interval, records the 5m aggregates, the windows
 * up to 6h and both burn alerts: rules in a group run in order, so the page tier always reads
 * this round's windows. The second, every 2m, derives the windows of a day and more and the
 * SLO's metadata. The ticket alert reads 1d and 3d from it across groups (no ordering): a
 * value at most one slow round old, which moves a 1d window by ≤ 2m of its 1440.
 */
export function sloGroups(config: PlatformConfig, service: Service, slo: Slo): RuleGroup[] {
  return [
    {
      name: sloGroupName(service, slo),
      rules: [
        ...aggregateRules(service, slo),
        ...windowRules(service, slo, false),
        currentBurnRule(service, slo),
        ...enabledTiers(slo).map((tier) => burnAlert(config, service, slo, tier)),
      ],
    },
    {
      name: slowGroupName(service, slo),
      interval: slowInterval,
      rules: [...windowRules(service, slo, true), ...metadataRules(service, slo)],
    },
  ];
}
