import { sliErrorRecord, sloRuleLabels, sloSelector } from '../../../derive/records.ts';
import { leLabel, sliCounters, type CountedSlo, type SliCounter } from '../../../derive/test-series.ts';
import { seriesName, type LabelSet } from '../../../derive/test-labels.ts';
import { burnAlertName } from '../../../model/alert-names.ts';
import { burnThreshold, defaultTierFor, enabledTiers, errorBudget, sliWindows, sloWindow, tierWindows } from '../../../model/burn-rate.ts';
import { toNumber } from '../../../model/decimal.ts';
import { seconds, type Duration } from '../../../model/duration.ts';
import type { Service } from '../../../model/service.ts';
import type { BurnTier, Slo } from '../../../model/slo.ts';
import { javaFloat } from '../../../promql/numbers.ts';
import type { AlertingRule } from '../rules.ts';
import { aggregateWindow, isSlowWindow } from '../slo.ts';
import { expectedAlert } from './expect.ts';
import type { AlertTestCase, ExprTestCase, TestGroup } from './promtool.ts';
import { semantics, simulate, type SimRules, type Simulation } from './slo-simulate.ts';
import { mergedAlertCases } from './slo-tests.ts';
import { counterValues, instances, minutesPerDay, seriesNotation, type Timeline } from './slo-timeline.ts';

// Wiring tests: days of realistic traffic in which each burn-rate condition, each window length
// and each fault decides an outcome, so a rule reading the wrong window, a branch wired to the
// wrong series or a dropped fallback fails them. Expected alerts and values come from simulating
// the rules (slo-simulate.ts) under both 2.x and 3.x sample selection; only what both agree on,
// and what a nudge of every threshold cannot change, is asserted.

/** The wiring tests evaluate every 5m: the maths of the windows does not depend on the interval, and promtool runs days of it in well under a second. */
export const wiringEvaluationInterval: Duration = '5m';
const evalMinutes = seconds(wiringEvaluationInterval) / 60;
const day = minutesPerDay;
const hour = 60;

const minutesOf = (window: Duration): number => seconds(window) / 60;
const onGrid = (minute: number): number => Math.ceil(minute / evalMinutes) * evalMinutes;

interface Shape {
  readonly slo: CountedSlo;
  readonly counters: readonly Pick<SliCounter, 'share' | 'inTotal' | 'inNumerator'>[];
}

/** What a group asserts, in minutes and plain numbers; rendered per service. */
interface Plan {
  readonly timeline: Timeline;
  /** The branches a burn of this plan is caught by alone. */
  readonly burns: readonly string[];
  readonly alerts: readonly { readonly minute: number; readonly tier: BurnTier; readonly firing: boolean }[];
  readonly values: readonly { readonly minute: number; readonly record: string; readonly value: number; readonly tolerance: number }[];
}

function simRules(slo: CountedSlo): SimRules {
  return {
    badFrom: slo.kind === 'latency' ? 'fast' : slo.errors ? 'errors' : 'good',
    evalMinutes,
    aggregateMinutes: minutesOf(aggregateWindow),
    isSlow: (minutes) => isSlowWindow(`${minutes}m`),
    tiers: enabledTiers(slo).map((tier) => ({
      forMinutes: seconds(slo.tiers?.[tier]?.for ?? defaultTierFor[tier]) / 60,
      branches: tierWindows[tier].map((window) => ({
        long: minutesOf(window.long),
        short: minutesOf(window.short),
        threshold: toNumber(burnThreshold(slo, window)),
      })),
    })),
  };
}

class Scenario {
  readonly tiers: readonly BurnTier[];
  readonly rules: SimRules;
  constructor(readonly shape: Shape) {
    this.tiers = enabledTiers(shape.slo);
    this.rules = simRules(shape.slo);
  }

  /** The simulation under every semantics; the first is Prometheus 2.x exactly. */
  run(timeline: Timeline, all = true): Simulation[] {
    const counters = this.shape.counters.flatMap((counter) =>
      Array.from({ length: instances }, (_, instance) => ({ ...counter, values: counterValues(timeline, counter.share, instance) })),
    );
    return (all ? semantics : semantics.slice(0, 1)).map((mode) => simulate(counters, this.rules, mode));
  }

  /** The next SLI window after one, in minutes. */
  longerThan(minutes: number): number {
    return sliWindows(this.shape.slo)
      .map(minutesOf)
      .find((each) => each > minutes)!;
  }

  tier(tier: BurnTier): number {
    return this.tiers.indexOf(tier);
  }

  threshold(tier: BurnTier, branch: number): number {
    return this.rules.tiers[this.tier(tier)]!.branches[branch]!.threshold;
  }
}

const indexAt = (sim: Simulation, minute: number): number => sim.times.indexOf(onGrid(minute));

/** First evaluation at or after `from` (and before `to`) where `test` holds. */
function firstWhere(sim: Simulation, from: number, to: number, test: (index: number) => boolean): number | undefined {
  for (let index = indexAt(sim, from); index >= 0 && index < sim.times.length && sim.times[index]! < to; index += 1) {
    if (test(index)) return index;
  }
  return undefined;
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);

/** `base` with a burn from `start`, faults added, until `minutes`. */
function withBurn(
  base: Timeline,
  start: number,
  errorRatio: number,
  stop: number,
  calm: number,
  faults: Partial<Timeline>,
  minutes: number,
): Timeline {
  return {
    ...base,
    phases: [...base.phases, { from: start, errorRatio }, ...(stop < minutes ? [{ from: stop, errorRatio: calm }] : [])],
    gaps: [...base.gaps, ...(faults.gaps ?? [])],
    restarts: [...base.restarts, ...(faults.restarts ?? [])],
    minutes,
  };
}

/**
 * Whether a burn from `start` fired `tier` through branch `only` alone (the other branch never
 * held until the alert resolved), and once it stopped the alert resolved through that branch's
 * short window: its long window, and the window just longer than the short one, still burned.
 * Returns the evaluation it resolved at.
 */
function resolvedThrough(
  scenario: Scenario,
  sim: Simulation,
  tier: BurnTier,
  only: number,
  start: number,
  stop: number,
): number | undefined {
  const t = scenario.tier(tier);
  const resolves = firstWhere(sim, stop, Number.POSITIVE_INFINITY, (index) => !sim.firing(t)[index]!);
  if (resolves === undefined) return undefined;
  const during = range(indexAt(sim, start), resolves);
  const other = sim.branch(t, 1 - only);
  if (during.some((index) => other[index]) || !during.some((index) => sim.firing(t)[index])) return undefined;
  // Its short window cleared it: the long one, and the next longer window, still burn.
  const { long, short } = scenario.rules.tiers[t]!.branches[only]!;
  const burning = (minutes: number): boolean => (sim.ratio(minutes)[resolves] ?? 0) > scenario.threshold(tier, only);
  return burning(long) && burning(scenario.longerThan(short)) ? resolves : undefined;
}

/**
 * A burn of `tier` at `errorRatio` from `start` until an hour after its alert fires (once the
 * history is longer than the branch's long window), caught by branch `only` alone;
 * `faults(firing)` adds gaps or restarts relative to when it first fired.
 * Resolves to the timeline up to an hour after the alert resolved, or undefined if it misses.
 */
function burn(
  scenario: Scenario,
  base: Timeline,
  tier: BurnTier,
  only: number,
  start: number,
  errorRatio: number,
  calm: number,
  faults: (firing: number) => Partial<Timeline> = () => ({}),
): Timeline | undefined {
  const t = scenario.tier(tier);
  const [probe] = scenario.run(withBurn(base, start, errorRatio, Number.POSITIVE_INFINITY, calm, {}, start + 2 * day), false);
  const fires = firstWhere(probe!, start, Number.POSITIVE_INFINITY, (index) => probe!.firing(t)[index]!);
  if (fires === undefined) return undefined;
  const firing = probe!.times[fires]!;
  // It must fire once the history is longer than the long window, or that window's length
  // (3d against the SLO window's 30d) would not decide when.
  if (firing < scenario.rules.tiers[t]!.branches[only]!.long + 2 * hour) return undefined;
  const stop = firing + hour + 2;
  const timeline = withBurn(base, start, errorRatio, stop, calm, faults(firing), stop + day);
  const [sim] = scenario.run(timeline, false);
  const resolves = resolvedThrough(scenario, sim!, tier, only, start, stop);
  return resolves === undefined ? undefined : { ...timeline, minutes: sim!.times[resolves]! + hour };
}

/** The first candidate ratio for which the burn does what it must. */
function firstBurn(candidates: readonly number[], attempt: (errorRatio: number) => Timeline | undefined): Timeline | undefined {
  for (const candidate of candidates) {
    if (!(candidate > 0 && candidate <= 1)) continue;
    const found = attempt(Number(candidate.toPrecision(6)));
    if (found) return found;
  }
  return undefined;
}

/**
 * Days of traffic in which every branch decides an outcome: half a day without a single error
 * (the error series does not exist yet), an evening with an idle period, a scrape gap and a
 * restart; on a quiet weekend day a burn that only the 1d/2h pair catches, then one that only
 * the 3d/6h pair catches (a scrape gap while it fires); an hour later a sharp burn that only
 * the 1h/5m pair catches and whose end the 5m window must clear, then a longer one that only
 * the 6h/30m pair catches (a restart while it fires), whose end the 30m window clears. Each
 * burn's error ratio is the first of a few candidates for which it does exactly that.
 */
function wiringPlan(scenario: Scenario, healthy: number): Plan | undefined {
  const base: Timeline = {
    minutes: day,
    phases: [{ from: 12 * hour, errorRatio: healthy }],
    weekend: [1],
    idle: [[21 * hour, 21 * hour + 45]],
    gaps: [[22 * hour + 30, 22 * hour + 45]],
    restarts: [23 * hour + 30],
  };
  let timeline = base;
  const burns: string[] = [];
  const attempt = (found: Timeline | undefined, name: string): void => {
    if (!found) return;
    timeline = found;
    burns.push(name);
  };
  if (scenario.tiers.includes('ticket')) {
    const fast = scenario.threshold('ticket', 0);
    const slow = scenario.threshold('ticket', 1);
    const pageFloor = scenario.tiers.includes('page') ? Math.min(scenario.threshold('page', 0), scenario.threshold('page', 1)) : 1;
    const weekendStart = day + 10 * hour;
    attempt(
      firstBurn(
        [1.8, 1.5, 2.2, 1.3, 2.6].map((factor) => Math.min(fast * factor, (fast + pageFloor) / 2)),
        (ratio) => burn(scenario, timeline, 'ticket', 0, weekendStart, ratio, healthy),
      ),
      '1d/2h',
    );
    const start = Math.max(weekendStart, timeline.minutes);
    attempt(
      // The highest ratio that fires only after 3 days, so that the timeline stays short.
      firstBurn([(slow + fast) / 2, slow * 1.7, slow * 1.5, slow * 1.3, slow * 1.2], (ratio) =>
        burn(scenario, timeline, 'ticket', 1, start, ratio, healthy, (firing) => ({ gaps: [[firing + 30, firing + 50]] })),
      ),
      '3d/6h',
    );
  }
  if (scenario.tiers.includes('page')) {
    const fast = scenario.threshold('page', 0);
    const slow = scenario.threshold('page', 1);
    // An hour after the slow burns (or on the first weekday at 11:00), off the evaluation grid.
    const sharpStart = timeline === base ? 11 * hour + 2 : timeline.minutes + 2;
    let sharp: Timeline | undefined;
    for (const factor of [1.6, 1.4, 1.8, 1.25, 2]) {
      for (const minutes of [30, 45, 60, 90]) {
        const ratio = Number(((factor * fast * hour) / minutes).toPrecision(6));
        if (!sharp && ratio <= 1) sharp = shortBurn(scenario, timeline, sharpStart, sharpStart + minutes, ratio, healthy);
      }
    }
    attempt(sharp, '1h/5m');
    const start = Math.max(sharpStart, timeline.minutes) + 2;
    attempt(
      firstBurn([(slow + fast) / 2, slow * 1.5, slow * 1.2], (ratio) =>
        burn(scenario, timeline, 'page', 1, start, ratio, healthy, (firing) => ({ restarts: [firing + 17] })),
      ),
      '6h/30m',
    );
  }
  if (burns.length === 0) return undefined;
  // Past 3d, so that the SLO window still holds error-free hours the 3d one no longer does.
  timeline = { ...timeline, minutes: Math.max(timeline.minutes, 3 * day + 2 * hour) };
  // Values: while there is no error series yet, after the idle period, after the gap and the
  // restart, just after traffic rose tenfold in the morning, and at the end.
  const checkpoints = [11 * hour, 21 * hour + 50, 23 * hour + 45, day + 8 * hour + 10, timeline.minutes];
  return { ...plan(scenario, timeline, checkpoints), burns };
}

/** A burn from `start` to `stop` at `errorRatio` that fires the page through the 1h/5m pair only. */
function shortBurn(
  scenario: Scenario,
  base: Timeline,
  start: number,
  stop: number,
  errorRatio: number,
  calm: number,
): Timeline | undefined {
  const timeline = withBurn(base, start, errorRatio, stop, calm, {}, stop + 8 * hour);
  const [sim] = scenario.run(timeline, false);
  const resolves = resolvedThrough(scenario, sim!, 'page', 0, start, stop);
  return resolves === undefined ? undefined : { ...timeline, minutes: sim!.times[resolves]! + hour };
}

/** Alert checks around every change of state, values at the checkpoints; each only where all semantics agree. */
function plan(scenario: Scenario, timeline: Timeline, checkpoints: readonly number[]): Omit<Plan, 'burns'> {
  const sims = scenario.run(timeline);
  const [exact] = sims as [Simulation, ...Simulation[]];
  const last = exact.times.length - 1;
  const alerts: { minute: number; tier: BurnTier; firing: boolean }[] = [];
  scenario.tiers.forEach((tier, t) => {
    const firing = exact.firing(t);
    const agrees = (index: number): boolean => sims.every((sim) => sim.firing(t)[index] === firing[index]);
    const picked = new Set<number>();
    // The last evaluation of the old state and the first of the new one, moved outwards to where all agree.
    const pick = (from: number, step: -1 | 1, state: boolean): void => {
      for (let index = from, tries = 0; index >= 0 && index <= last && tries < 4; index += step, tries += 1) {
        if (firing[index] !== state) return;
        if (agrees(index)) {
          picked.add(index);
          return;
        }
      }
    };
    for (let index = 1; index <= last; index += 1) {
      if (firing[index] === firing[index - 1]) continue;
      pick(index - 1, -1, firing[index - 1]!);
      pick(index, 1, firing[index]!);
    }
    pick(last, -1, firing[last]!);
    for (const index of [...picked].sort((a, b) => a - b)) alerts.push({ minute: exact.times[index]!, tier, firing: firing[index]! });
  });
  return { timeline, alerts: sharedNameChecks(scenario, sims, alerts), values: windowValues(scenario, sims, checkpoints) };
}

/**
 * Tiers that share one alert name are one alert name to promtool: every check also states the
 * other tier where all semantics agree on it, and is dropped where they do not.
 */
function sharedNameChecks(scenario: Scenario, sims: readonly Simulation[], alerts: Plan['alerts']): Plan['alerts'] {
  if (scenario.shape.slo.alertName === undefined || scenario.tiers.length < 2) return alerts;
  const [exact] = sims as [Simulation, ...Simulation[]];
  const checked = new Set(alerts.map((check) => `${check.minute} ${check.tier}`));
  return alerts.flatMap((check) => {
    const other = scenario.tiers.find((tier) => tier !== check.tier)!;
    if (checked.has(`${check.minute} ${other}`)) return [check];
    const index = exact.times.indexOf(check.minute);
    const firing = exact.firing(scenario.tier(other))[index];
    if (sims.some((sim) => sim.firing(scenario.tier(other))[index] !== firing)) return [];
    return [check, { minute: check.minute, tier: other, firing: firing! }];
  });
}

function windowValues(scenario: Scenario, sims: readonly Simulation[], checkpoints: readonly number[]): Plan['values'] {
  const [exact] = sims as [Simulation, ...Simulation[]];
  const windows = sliWindows(scenario.shape.slo);
  const budget = toNumber(errorBudget(scenario.shape.slo));
  const values: Plan['values'][number][] = [];
  for (const checkpoint of checkpoints) {
    const index = indexAt(exact, checkpoint);
    if (index < 0) continue;
    const measured = (read: (sim: Simulation) => number | undefined): { value: number; tolerance: number } | undefined => {
      const all = sims.map(read);
      if (all.some((value) => value === undefined || !Number.isFinite(value))) return undefined;
      const value = all[0]!;
      const spread = Math.max(...all.map((each) => Math.abs(each! - value)));
      return { value, tolerance: Math.max(1e-12, Math.abs(value) * 1e-9, 2 * spread) };
    };
    for (const window of windows) {
      const found = measured((sim) => sim.ratio(minutesOf(window))[index]);
      if (found) values.push({ minute: exact.times[index]!, record: sliErrorRecord(window), ...found });
    }
    const remaining = measured((sim) => {
      const ratio = sim.ratio(minutesOf(sloWindow(scenario.shape.slo)))[index];
      return ratio === undefined ? undefined : 1 - ratio / budget;
    });
    if (remaining) values.push({ minute: exact.times[index]!, record: 'slo:period_error_budget_remaining:ratio', ...remaining });
  }
  return values;
}

const plans = new Map<string, Plan | undefined>();

/** The plan depends only on the SLO's numbers and counter shapes, not its names: built once per shape. */
function planFor(shape: Shape): Plan | undefined {
  const { slo } = shape;
  const key = JSON.stringify([
    slo.kind,
    slo.kind === 'ratio' ? Boolean(slo.errors) : slo.threshold,
    slo.alertName !== undefined,
    slo.objective,
    sloWindow(slo),
    slo.tiers ?? {},
    shape.counters,
  ]);
  if (!plans.has(key)) plans.set(key, wiringPlan(new Scenario(shape), toNumber(errorBudget(slo)) / 10));
  return plans.get(key);
}

const labelText = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
    .join(', ')}}`;

/** A second exporter's `le`: Java's spelling where it differs from Go's (`1.0`, `5.0E-5`), else one with a trailing zero (`0.20`). */
function otherLe(bound: number): string {
  if (bound === Number.POSITIVE_INFINITY) return '+Inf';
  const java = javaFloat(bound);
  return java !== leLabel(bound) ? java : `${java}0`;
}

const notations = new WeakMap<Plan, Map<string, string>>();

/** A counter's values in promtool's notation: the same for every service with this plan, so written once. */
function notation(plan: Plan, share: SliCounter['share'], instance: number): string {
  let byCounter = notations.get(plan);
  if (!byCounter) {
    byCounter = new Map();
    notations.set(plan, byCounter);
  }
  const key = `${share} ${instance}`;
  let text = byCounter.get(key);
  if (text === undefined) {
    text = seriesNotation(counterValues(plan.timeline, share, instance));
    byCounter.set(key, text);
  }
  return text;
}

/** The label that tells the two exporters apart: `instance`, unless the selectors pin it. */
const exporterLabel = (labels: LabelSet): string => ['instance', 'pod', 'replica'].find((label) => !(label in labels))!;

/** One SLO's part of a wiring test group: its series on its own timeline, and its checks. */
function part(
  service: Service,
  slo: Slo,
  counters: readonly SliCounter[],
  plan: Plan,
  rules: readonly AlertingRule[],
): Omit<TestGroup, 'name' | 'interval'> {
  const labels = sloRuleLabels(service, slo);
  const selector = sloSelector(service, slo);
  return {
    input_series: counters.flatMap((counter) =>
      Array.from({ length: instances }, (_, instance) => {
        // Two exporters that spell `le` differently: the SLI must find the bucket in both.
        const le: LabelSet = counter.le === undefined ? {} : { le: instance === 0 ? leLabel(counter.le) : otherLe(counter.le) };
        return {
          series: seriesName(counter.name, { ...counter.labels, ...le, [exporterLabel(counter.labels)]: `instance-${instance}` }),
          values: notation(plan, counter.share, instance),
        };
      }),
    ),
    alert_rule_test: mergedAlertCases(
      plan.alerts.map(
        (check): AlertTestCase => ({
          eval_time: `${check.minute}m`,
          alertname: burnAlertName(service.name, slo, check.tier),
          exp_alerts: check.firing
            ? [expectedAlert(rules.find((rule) => rule.labels.slo === slo.name && rule.labels.tier === check.tier)!, labels, 0)]
            : [],
        }),
      ),
    ),
    promql_expr_test: plan.values.map(
      (check): ExprTestCase => ({
        expr: `abs(${check.record}${selector} - ${check.value}) <= bool ${Number((check.tolerance * 1.05).toPrecision(3))}`,
        eval_time: `${check.minute}m`,
        exp_samples: [{ labels: labelText(labels), value: 1 }],
      }),
    ),
  };
}

/**
 * The wiring test groups of a service (evaluated every 5m; see wiringEvaluationInterval). SLOs
 * that read different metrics share a group: promtool evaluates every rule of the file in every
 * group, so each group it runs should test as much as it can.
 */
export function serviceWiringTests(service: Service, rules: readonly AlertingRule[]): TestGroup[] {
  const batches: { metrics: Set<string>; slos: { slo: CountedSlo; counters: SliCounter[] }[] }[] = [];
  // A gauge SLO counts samples, not events: its windows are the same rules, tested with counted SLOs.
  for (const slo of (service.slos ?? []).filter((each): each is CountedSlo => each.kind !== 'gauge')) {
    const counters = sliCounters(service, slo);
    const metrics = counters.map((counter) => counter.name);
    let batch = batches.find((each) => metrics.every((metric) => !each.metrics.has(metric)));
    if (!batch) {
      batch = { metrics: new Set(), slos: [] };
      batches.push(batch);
    }
    for (const metric of metrics) batch.metrics.add(metric);
    batch.slos.push({ slo, counters });
  }
  const groups: TestGroup[] = [];
  for (const batch of batches) {
    const parts = batch.slos.flatMap(({ slo, counters }) => {
      const plan = planFor({ slo, counters: counters.map(({ share, inTotal, inNumerator }) => ({ share, inTotal, inNumerator })) });
      return plan ? [{ slo, plan, value: part(service, slo, counters, plan, rules) }] : [];
    });
    if (parts.length === 0) continue;
    groups.push({
      name: `wiring over days: ${parts.map((each) => `${each.slo.name} (burns only ${each.plan.burns.join(', ')} catch)`).join('; ')}`,
      interval: '1m',
      input_series: parts.flatMap((each) => each.value.input_series),
      alert_rule_test: parts.flatMap((each) => each.value.alert_rule_test),
      promql_expr_test: parts.flatMap((each) => each.value.promql_expr_test ?? []),
    });
  }
  return groups;
}
