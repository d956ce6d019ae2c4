import { sliErrorRecord, sloRuleLabels, sloSelector } from '../../../derive/records.ts';
import { gaugeFraction, sliSeries } from '../../../derive/test-series.ts';
import { burnAlertName } from '../../../model/alert-names.ts';
import {
  burnFactor,
  defaultTierFor,
  enabledTiers,
  errorBudget,
  sliWindows,
  tierWindows,
  type BurnWindow,
} from '../../../model/burn-rate.ts';
import { mul, rational, toDecimal, toNumber } from '../../../model/decimal.ts';
import { seconds } from '../../../model/duration.ts';
import type { Service } from '../../../model/service.ts';
import type { BurnTier, Slo } from '../../../model/slo.ts';
import type { AlertingRule } from '../rules.ts';
import { isSlowWindow } from '../slo.ts';
import { expectedAlert } from './expect.ts';
import { minutes, type AlertTestCase, type ExprTestCase, type TestGroup } from './promtool.ts';

/**
 * Every SLI has a value from the second sample on (two samples make a rate), a gauge SLO's
 * from the first; the windows of the slow group, which runs first in each round, one round later.
 */
const activeFromMinute = (slo: Slo): number => (slo.kind === 'gauge' ? 0 : 1);
const activeFrom = (slo: Slo, windows: readonly BurnWindow[]): number =>
  activeFromMinute(slo) + (windows.some((window) => isSlowWindow(window.long) || isSlowWindow(window.short)) ? 1 : 0);

/**
 * One case per evaluation time and alert name: promtool compares every alert of the name, so
 * the tiers of an SLO that share one name (`alertName`) are expected together.
 */
export function mergedAlertCases(cases: readonly AlertTestCase[]): AlertTestCase[] {
  const merged = new Map<string, AlertTestCase>();
  for (const each of cases) {
    const key = `${each.eval_time} ${each.alertname}`;
    const known = merged.get(key);
    merged.set(key, known ? { ...known, exp_alerts: [...known.exp_alerts, ...each.exp_alerts] } : each);
  }
  return [...merged.values()];
}

const forMinutes = (slo: Slo, tier: BurnTier): number => Math.ceil(seconds(slo.tiers?.[tier]?.for ?? defaultTierFor[tier]) / 60);

const labelText = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
    .join(', ')}}`;

/** Recording rules checked to 1e-9: rates of synthetic counters carry binary noise. */
function recordingChecks(service: Service, slo: Slo, errorRatio: number, evalTime: string): ExprTestCase[] {
  const selector = sloSelector(service, slo);
  const labels = labelText(sloRuleLabels(service, slo));
  const budget = toNumber(errorBudget(slo));
  const near = (expr: string, expected: number, tolerance: number): ExprTestCase => ({
    expr: `abs(${expr} - ${Number(expected.toPrecision(12))}) < bool ${tolerance}`,
    eval_time: evalTime,
    exp_samples: [{ labels, value: 1 }],
  });
  const exact = (record: string, value: number): ExprTestCase => ({
    expr: `${record}${selector}`,
    eval_time: evalTime,
    exp_samples: [{ labels: `${record}${labels}`, value }],
  });
  return [
    ...sliWindows(slo).map((window) => near(`${sliErrorRecord(window)}${selector}`, errorRatio, 1e-9)),
    exact('slo:objective:ratio', Number(toDecimal(mul(rational(slo.objective), rational('0.01'))))),
    exact('slo:error_budget:ratio', Number(toDecimal(errorBudget(slo)))),
    near(`slo:current_burn_rate:ratio${selector}`, errorRatio / budget, 1e-6),
    near(`slo:period_error_budget_remaining:ratio${selector}`, 1 - errorRatio / budget, 1e-6),
  ];
}

/**
 * The SRE workbook's cases: a total outage pages, a burn just above the fastest factor pages,
 * a steady burn between the tiers tickets without paging, a burn just under 1× raises nothing.
 */
export function sloTests(service: Service, slo: Slo, rules: readonly AlertingRule[]): TestGroup[] {
  const tiers = enabledTiers(slo);
  const budget = toNumber(errorBudget(slo));
  const factors = (tier: BurnTier): number[] => tierWindows[tier].map((window) => toNumber(burnFactor(slo, window)));
  const pageFor = forMinutes(slo, 'page');
  const ticketFor = forMinutes(slo, 'ticket');
  const ruleOf = (tier: BurnTier): AlertingRule | undefined => rules.find((rule) => rule.labels.tier === tier);

  const scenario = (name: string, errorRatio: number, evalMinute: number, withRecordings = false): TestGroup => {
    const steps = evalMinute + 2;
    const cases: AlertTestCase[] = [];
    for (const tier of tiers) {
      const rule = ruleOf(tier)!;
      const burningWindows = tierWindows[tier].filter((window) => errorRatio > toNumber(burnFactor(slo, window)) * budget);
      const burning = burningWindows.length > 0;
      const active = activeFrom(slo, burningWindows);
      const firing = burning && evalMinute - active >= forMinutes(slo, tier);
      const labels = sloRuleLabels(service, slo);
      cases.push({
        eval_time: minutes(evalMinute),
        alertname: burnAlertName(service.name, slo, tier),
        exp_alerts: firing ? [expectedAlert(rule, labels, errorRatio)] : [],
      });
      // Nothing fires before its `for` has passed.
      const early = active + forMinutes(slo, tier) - 1;
      if (burning && early >= 0 && early < evalMinute)
        cases.push({ eval_time: minutes(early), alertname: burnAlertName(service.name, slo, tier), exp_alerts: [] });
    }
    return {
      name: `${slo.name}: ${name}`,
      interval: '1m',
      input_series: sliSeries(service, slo, errorRatio, steps),
      alert_rule_test: mergedAlertCases(cases),
      ...(withRecordings ? { promql_expr_test: recordingChecks(service, slo, errorRatio, minutes(evalMinute)) } : {}),
    };
  };

  // Without alerts, the recording rules alone: a burn at half the budget's rate.
  if (tiers.length === 0) {
    const half = slo.kind === 'gauge' ? (gaugeFraction(budget / 4, budget) ?? 0) : Number((budget / 2).toPrecision(12));
    return [scenario('recording rules, no alerts', half, activeFrom(slo, tierWindows.ticket) + 1, true)];
  }
  const groups: TestGroup[] = [];
  const pageEnabled = tiers.includes('page');
  const ticketEnabled = tiers.includes('ticket');
  // A gauge SLO's error ratio is a fraction of series: each case takes the simplest one in its range, or is left out.
  const gauge = slo.kind === 'gauge' && slo.good !== 'value';
  const ratioIn = (target: number, low: number, high: number): number | undefined => (gauge ? gaugeFraction(low, high) : target);
  const pageFloor = pageEnabled ? Math.min(...factors('page')) * budget : 1;
  const ticketCeiling = ticketEnabled ? Math.max(...factors('ticket')) * budget : 0;
  const between = ticketEnabled ? ratioIn(Number(((ticketCeiling + pageFloor) / 2).toPrecision(12)), ticketCeiling, pageFloor) : undefined;
  // Without a case between the tiers, the outage lasts until the ticket fires too.
  const outageTicket = ticketEnabled && (!pageEnabled || (gauge && between === undefined));
  const outageMinute = Math.max(
    pageEnabled ? activeFromMinute(slo) + pageFor : 0,
    outageTicket ? activeFrom(slo, tierWindows.ticket) + ticketFor : 0,
  );
  groups.push(scenario('total outage', 1, outageMinute));
  if (pageEnabled) {
    const threshold = Math.max(...factors('page')) * budget;
    const fastest = ratioIn(Number(Math.min(1, threshold * 1.01).toPrecision(12)), threshold, Math.min(1, threshold * 1.2));
    if (fastest !== undefined)
      groups.push(
        scenario(`burn just above ${Math.max(...factors('page')).toPrecision(4)}×`, fastest, activeFromMinute(slo) + pageFor, true),
      );
  }
  if (between !== undefined) {
    // Halfway between the fastest ticket condition and the slowest page one (or a 100 % error ratio).
    groups.push(
      scenario(
        'steady burn between the tiers tickets, does not page',
        between,
        activeFrom(slo, tierWindows.ticket) + Math.max(ticketFor, pageFor),
      ),
    );
  }
  const slowestThreshold = Math.min(...tiers.flatMap(factors)) * budget;
  const slowest = ratioIn(Number((slowestThreshold * 0.99).toPrecision(12)), slowestThreshold / 2, slowestThreshold) ?? 0;
  groups.push(
    scenario(
      slowest > 0 ? 'burn just under the slowest factor raises nothing' : 'no bad sample raises nothing',
      slowest,
      activeFrom(slo, tierWindows.ticket) + Math.max(pageFor, ticketFor) + 1,
      !pageEnabled,
    ),
  );
  return groups;
}
