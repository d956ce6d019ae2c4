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
import type { BurnTier, LatencySlo, Slo } from '../../model/slo.ts';
import { burnAlertName, runbookUrl, thresholdBucketMissingAlertName } from '../../model/alert-names.ts';
import {
  historyStartRecord,
  periodCoverageRecord,
  sliBadEventsRecord,
  sliErrorRecord,
  sliEventsRecord,
  sloRuleLabels,
  sloSelector,
} from '../../derive/records.ts';
import { bucketPresent, sloSelectors, unmeasuredRequests } from '../../derive/slo-series.ts';
import { alertAnnotations, alertLabels } from './labels.ts';
import type { AlertingRule, RecordingRule, RuleGroup } from './rules.ts';

/** The window of the recorded aggregates, and the shortest SLI window (the page tier's short one). */
export const aggregateWindow: Duration = '5m';
/**
 * How far before its window an aggregate looks for a series' last sample: the events of a
 * scrape gap (or a Prometheus restart) up to this long are counted once scraping resumes.
 */
export const gapBridge: Duration = '1h';
/** Windows this long or longer are computed in the SLO's slow group. */
export const slowFrom: Duration = '1d';
/**
 * The slow group's interval: well under Prometheus's 5m lookback, so the alerts that read its
 * series across groups always find this or the previous round's value, even after a missed round.
 */
export const slowInterval: Duration = '2m';
/** How long traffic must go unmeasured before a latency SLO's `…ThresholdBucketMissing` warns. */
export const bucketMissingFor: Duration = '15m';

export const isSlowWindow = (window: Duration): boolean => seconds(window) >= seconds(slowFrom);

/** The slow group's name: `<service>-slo-<slo>-long`. */
export const slowGroupName = (service: Service, slo: Slo): string => `${sloGroupName(service, slo)}-long`;
export const sloGroupName = (service: Service, slo: Slo): string => `${service.name}-slo-${slo.name}`;

/**
 * Each series' events in the aggregate window: from its last sample before the window (up to
 * gapBridge earlier) to its last sample in it. Once a scrape gap ends, the jump across it is in
 * the aggregates of the next 5 minutes, so the gap's events enter every window; a rate over 5m
 * would need two samples inside the window and drop them. After a counter reset (a negative
 * difference), and for a series without an earlier sample, increase() over the window, as a
 * rate would count it.
 */
export function eventsInWindow(selector: string): string {
  const window = aggregateWindow;
  return `(last_over_time(${selector}[${window}]) - last_over_time(${selector}[${gapBridge}] offset ${window}) >= 0) or increase(${selector}[${window}])`;
}

/** Events per second over the aggregate window, summed to the SLO's labels. */
const perSecond = (events: string): string => `sum(${events}) / ${seconds(aggregateWindow)}`;

/**
 * The two recorded aggregates, straight from the raw series: events per second and bad events
 * per second over 5m, summed to the SLO's labels. The bad rate reads the events record (the
 * rule before it) instead of the raw series again, and is 0 rather than absent while there is
 * traffic but no error series yet. A latency SLO counts only the series that have a bucket at
 * its threshold: one without it would count every request as slow. A gauge SLO's events are its series' samples at each evaluation over the last 5m (a subquery
 * at the evaluation interval), bad when they miss the bound; with `good: 'value'`, every
 * scraped sample, its value good and the rest of 1 bad. Neither bridges gaps: a gauge's
 * samples are its events, and a gap has none.
 */
function aggregateRules(service: Service, slo: Slo): RecordingRule[] {
  const labels = sloRuleLabels(service, slo);
  const events = `${sliEventsRecord}${sloSelector(service, slo)}`;
  const selectors = sloSelectors(service, slo);
  let total: string;
  let bad: string;
  if (slo.kind === 'gauge') {
    if (selectors.badSamples) {
      const samples = (expr: string): string => `sum_over_time(count(${expr})[${aggregateWindow}:])`;
      total = samples(selectors.total);
      bad = `${samples(selectors.badSamples)} or on() 0 * ${events}`;
    } else {
      total = `sum(count_over_time(${selectors.total}[${aggregateWindow}]))`;
      bad = `${events} - on() sum(sum_over_time(${selectors.total}[${aggregateWindow}]))`;
    }
  } else if (selectors.bucket) {
    total = perSecond(`(${eventsInWindow(selectors.total)}) and ignoring(le) ${bucketPresent(selectors.bucket)}`);
    bad = `${events} - on() ${perSecond(eventsInWindow(selectors.bucket))}`;
  } else if (selectors.errors) {
    total = perSecond(eventsInWindow(selectors.total));
    bad = `${perSecond(eventsInWindow(selectors.errors))} or on() 0 * ${events}`;
  } else {
    total = perSecond(eventsInWindow(selectors.total));
    bad = `${events} - on() (${perSecond(eventsInWindow(selectors.good!))} or vector(0))`;
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

/**
 * The SLO's constants, and its budget over the history that exists: until the rules have run
 * for a whole SLO window, `slo:period_coverage:ratio` (below 1: partial) says how much of it the
 * windows hold, and the budget remaining counts the errors so far against the whole window's
 * budget at the traffic seen so far, rather than the first day's error ratio against all of it.
 * `slo:history_start:timestamp` keeps the time of the SLO window's first value (the first round
 * of this group that saw an aggregate) by reading its own past; it reads the window recorded just
 * before it in this group, never a series of another group that the lookback could miss.
 */
function metadataRules(service: Service, slo: Slo): RecordingRule[] {
  const labels = sloRuleLabels(service, slo);
  const budget = toDecimal(errorBudget(slo));
  const selector = sloSelector(service, slo);
  const window = sloWindow(slo);
  return [
    { record: 'slo:objective:ratio', expr: `vector(${toDecimal(mul(rational(slo.objective), rational('0.01')))})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(${budget})`, labels },
    { record: 'slo:time_period:days', expr: `vector(${toPromqlNumber(rational(seconds(window) / 86400))})`, labels },
    {
      record: historyStartRecord,
      expr: `min_over_time(${historyStartRecord}${selector}[${window}]) or timestamp(${sliErrorRecord(window)}${selector})`,
      labels,
    },
    { record: periodCoverageRecord, expr: `clamp_max((time() - ${historyStartRecord}${selector}) / ${seconds(window)}, 1)`, labels },
    { record: 'slo:period_burn_rate:ratio', expr: `${sliErrorRecord(window)}${selector} / ${budget}`, labels },
    {
      record: 'slo:period_error_budget_remaining:ratio',
      expr: `1 - slo:period_burn_rate:ratio${selector} * ${periodCoverageRecord}${selector}`,
      labels,
    },
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

/** A latency SLO's warning: traffic on series without a bucket at its threshold, which the SLO cannot measure. */
function bucketMissingAlert(config: PlatformConfig, service: Service, slo: LatencySlo): AlertingRule {
  const name = thresholdBucketMissingAlertName(service.name, slo.name);
  const histogram = slo.histogram.metric.name;
  return {
    alert: name,
    expr: unmeasuredRequests(service, slo),
    for: bucketMissingFor,
    labels: alertLabels(service, 'warning', { slo: slo.name, ...slo.labels }),
    annotations: alertAnnotations(
      `${service.name}: SLO "${slo.name}" cannot measure some requests`,
      `Series of ${histogram} (labels on this alert) serve requests but have no bucket at ${slo.threshold}, the threshold of ${service.name}/${slo.name}: the SLO leaves their requests out. Add the bucket to their histogram.`,
      runbookUrl(config, name),
    ),
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
        ...(slo.kind === 'latency' ? [bucketMissingAlert(config, service, slo)] : []),
      ],
    },
    {
      name: slowGroupName(service, slo),
      interval: slowInterval,
      rules: [...windowRules(service, slo, true), ...metadataRules(service, slo)],
    },
  ];
}
