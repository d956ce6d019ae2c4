import { HttpError } from '../process/http.ts';
import type { AlertingRule, Located, RecordingRule, RuleGroup } from '../reader/index.ts';
import { compoundSeconds } from '../model/duration.ts';
import {
  inlineRecordingRules,
  type Place,
  type RecordedSource,
  type RecordingRules,
  recordingRulesByName,
  type ServerHolds,
} from './inline.ts';
import { type PrometheusApi, PrometheusQueryError } from './prometheus.ts';
import { type Episode, RuleSimulation } from './simulate.ts';

// Replays alerting rules over past data: each rule's query (its recording rules inlined) is
// evaluated by the server with query_range at the rule group's interval, on Prometheus's grid,
// and the results are fed to the rule's state machine in time order.

export interface ReplayRange {
  /** Unix seconds. */
  readonly from: number;
  readonly to: number;
}

export interface ReplayOptions {
  /** Seconds: the global evaluation interval, for groups without their own `interval`. */
  readonly evaluationInterval: number;
  /** Seconds: evaluations happen at multiples of the interval plus this offset. */
  readonly offset?: number;
  /**
   * Evaluations per query_range call. Prometheus refuses more than 11,000 points per series;
   * a chunk that needs more samples than the server's `--query.max-samples` is halved and retried.
   */
  readonly maxSteps?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Alerts replayed at the same time (default 4). */
  readonly concurrency?: number;
  /**
   * Seconds: evaluate every group at this interval, their own ignored, as `promtool test rules`
   * does with its evaluation_interval (for comparing with it).
   */
  readonly everyGroupAt?: number;
  /**
   * Group names in the order a round evaluates them at one timestamp (promtool's
   * group_eval_order); groups not listed come first, as promtool sorts them. Default: file order.
   */
  readonly groupOrder?: readonly string[];
}

/** One alerting rule as replayed. */
export interface ReplayedRule {
  readonly name: string;
  readonly severity: string;
  readonly rule: AlertingRule;
  /** Rule file (relative to generated/) and group. */
  readonly file: string;
  readonly group: string;
  /** Seconds between evaluations. */
  readonly interval: number;
  readonly query: string;
  readonly sources: readonly RecordedSource[];
  readonly evaluations: number;
  readonly episodes: readonly Episode[];
  /** Why the rule could not be replayed, or why Prometheus would have failed some of its evaluations. */
  readonly error?: string;
}

export const defaultMaxSteps = 10_000;

/**
 * Evaluation times of a group: `floor((t − offset) / interval) × interval + offset`
 * (Group.EvalTimestamp, rules/group.go; rules/manager.go before Prometheus 2.48), from the first
 * at or after `from`. Real Prometheus takes the offset from a hash of the group; 0 unless given.
 */
export function evaluationTimes(range: ReplayRange, interval: number, offset = 0): { first: number; count: number } {
  const first = Math.ceil((range.from - offset) / interval) * interval + offset;
  const count = first > range.to ? 0 : Math.floor((range.to - first) / interval) + 1;
  return { first, count };
}

export function groupInterval(group: { readonly interval?: string }, evaluationInterval: number): number {
  const seconds = group.interval === undefined ? undefined : compoundSeconds(group.interval);
  return seconds !== undefined && seconds > 0 ? seconds : evaluationInterval;
}

export async function replay(
  api: PrometheusApi,
  alerts: readonly Located<AlertingRule>[],
  recording: readonly Located<RecordingRule>[],
  range: ReplayRange,
  options: ReplayOptions,
): Promise<ReplayedRule[]> {
  const offset = options.offset ?? 0;
  const intervalOf = (group: RuleGroup): number => options.everyGroupAt ?? groupInterval(group, options.evaluationInterval);
  const placeOf = places([...alerts, ...recording], intervalOf, options.groupOrder);
  const rules = recordingRulesByName(recording, placeOf);
  const holds = serverHolds(api, range, options.evaluationInterval);
  const total = alerts.reduce((sum, alert) => sum + evaluationTimes(range, intervalOf(alert.group), offset).count, 0);
  let done = 0;
  const progress = (steps: number): void => {
    done += steps;
    options.onProgress?.(done, total);
  };
  const replayed: ReplayedRule[] = new Array(alerts.length);
  let next = 0;
  // A few alerts at a time: the server evaluates queries in parallel.
  const worker = async (): Promise<void> => {
    while (next < alerts.length) {
      const index = next++;
      try {
        replayed[index] = await replayOne(api, alerts[index]!, rules, placeOf(alerts[index]!), holds, range, options, progress);
      } catch (error) {
        next = alerts.length; // the others stop after their current alert
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, alerts.length) }, worker));
  return replayed;
}

async function replayOne(
  api: PrometheusApi,
  located: Located<AlertingRule>,
  rules: RecordingRules,
  place: Place,
  holds: ServerHolds,
  range: ReplayRange,
  options: ReplayOptions,
  progress: (steps: number) => void,
): Promise<ReplayedRule> {
  const { rule, group, file } = located;
  const interval = place.interval;
  const times = evaluationTimes(range, interval, options.offset ?? 0);
  const base = { name: rule.alert, severity: rule.labels.severity ?? '', rule, file: file.path, group: group.name, interval };
  let inlined: { query: string; sources: readonly RecordedSource[] };
  try {
    inlined = await inlineRecordingRules(rule.expr, rules, holds, place);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    progress(times.count);
    return { ...base, query: rule.expr, sources: [], evaluations: 0, episodes: [], error: (error as Error).message };
  }
  const simulation = new RuleSimulation({
    name: rule.alert,
    labels: rule.labels,
    holdSeconds: compoundSeconds(rule.for ?? '0s') ?? 0,
    keepFiringSeconds: compoundSeconds(rule.keep_firing_for ?? '0s') ?? 0,
  });
  let error: string | undefined;
  try {
    await evaluateInChunks(
      api,
      inlined.query,
      times,
      interval,
      options.maxSteps ?? defaultMaxSteps,
      (time, results) => {
        simulation.evaluate(time, results);
      },
      progress,
    );
  } catch (failure) {
    if (!(failure instanceof PrometheusQueryError)) throw failure;
    error = failure.message;
  }
  error ??= simulation.firstError && `${simulation.duplicateLabelSets} evaluations would fail: ${simulation.firstError}`;
  return {
    ...base,
    ...inlined,
    evaluations: simulation.evaluations,
    episodes: simulation.episodes(),
    ...(error !== undefined && { error }),
  };
}

/** Each rule's interval and place in a round: groups by `order` (else file order), rules in group order. */
function places(
  located: readonly Located<AlertingRule | RecordingRule>[],
  intervalOf: (group: RuleGroup) => number,
  order: readonly string[] | undefined,
): (rule: Located<AlertingRule | RecordingRule>) => Place {
  const files = [...new Set(located.map((each) => each.file.path))].sort();
  const rank = (each: Located<AlertingRule | RecordingRule>): number =>
    order ? order.indexOf(each.group.name) + 1 : files.indexOf(each.file.path) * 10_000 + each.file.groups.indexOf(each.group);
  return (each) => ({ interval: intervalOf(each.group), group: rank(each), rule: each.group.rules.indexOf(each.rule) });
}

/**
 * Runs `query` at every evaluation time, `maxSteps` at a time, and hands each time's result
 * label sets to `evaluate` in time order (times without a result get an empty list). A chunk
 * the server finds too large is split in two and retried.
 */
async function evaluateInChunks(
  api: PrometheusApi,
  query: string,
  times: { first: number; count: number },
  interval: number,
  maxSteps: number,
  evaluate: (time: number, results: Record<string, string>[]) => void,
  progress: (steps: number) => void,
): Promise<void> {
  let index = 0;
  let steps = Math.max(1, Math.min(maxSteps, times.count));
  while (index < times.count) {
    const count = Math.min(steps, times.count - index);
    const start = times.first + index * interval;
    let series: Awaited<ReturnType<PrometheusApi['queryRange']>>;
    try {
      series = await api.queryRange(query, start, start + (count - 1) * interval, interval);
    } catch (error) {
      if (error instanceof PrometheusQueryError && error.tooLarge && count > 1) {
        steps = Math.ceil(count / 2);
        continue;
      }
      throw error;
    }
    const byStep: Record<string, string>[][] = Array.from({ length: count }, () => []);
    for (const each of series)
      for (const time of each.times) {
        const step = Math.round((time - start) / interval);
        if (step >= 0 && step < count) byStep[step]!.push(each.labels);
      }
    byStep.forEach((results, step) => {
      evaluate(start + step * interval, results);
    });
    index += count;
    progress(count);
  }
}

/**
 * Whether the server holds a recorded series over a range selector's whole reach: samples near
 * the start of the first window (`from − range`) and near `to`. Asked once per selector and range.
 */
function serverHolds(api: PrometheusApi, range: ReplayRange, evaluationInterval: number): ServerHolds {
  const known = new Map<string, Promise<boolean>>();
  const window = Math.max(600, 3 * evaluationInterval);
  return (selector, rangeSeconds) => {
    const key = `${selector}[${rangeSeconds}]`;
    let answer = known.get(key);
    if (!answer) {
      const present = (time: number) =>
        api.query(`count(last_over_time(${selector}[${window}s]))`, time).then((result) => result.length > 0);
      answer = Promise.all([present(range.from - rangeSeconds + window), present(range.to)]).then(([start, end]) => start && end);
      known.set(key, answer);
    }
    return answer;
  };
}
