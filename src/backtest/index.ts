import { inhibitorsOf } from '../route-evaluator/evaluate.ts';
import { labelKey } from '../diff/labels.ts';
import { type AlertingRule, alertingRules, type GeneratedTree, type Located, recordingRules } from '../reader/index.ts';
import { type AlertMeasures, type Incident, type IncidentOutcome, measureAlert, measureIncidents } from './incidents.ts';
import type { RecordedSource } from './inline.ts';
import { type Notification, notifications } from './notifications.ts';
import type { PrometheusApi } from './prometheus.ts';
import { type ReplayedRule, replay, type ReplayRange } from './replay.ts';
import type { Episode } from './simulate.ts';

// `monforge backtest`: how the alerts of a generated tree (and of a base revision's) would have
// behaved over a past range of a Prometheus server's data. Analysis only: formats live in
// format/, the command line in src/run/backtest.ts.

export interface BacktestSide {
  /** `working tree`, `origin/main (1a2b3c4)`, a directory. */
  readonly label: string;
  readonly tree: GeneratedTree;
}

export interface BacktestInput {
  readonly api: PrometheusApi;
  readonly range: ReplayRange;
  readonly head: BacktestSide;
  readonly base?: BacktestSide;
  /** Only these alert names (all when absent or empty). */
  readonly alerts?: readonly string[];
  readonly incidents?: readonly Incident[];
  /** Seconds: the global evaluation interval, for rule groups without their own. */
  readonly evaluationInterval: number;
  /** Seconds added to the evaluation grid; 0 unless given. */
  readonly offset?: number;
  /** An episode shorter than this many evaluations is flapping. */
  readonly flappingEvaluations?: number;
  readonly maxSteps?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The alerts of one name and severity (several rules may share both). */
export interface AlertRow {
  readonly name: string;
  readonly severity: string;
  readonly service: string | undefined;
  /** Seconds between evaluations, `for` and `keep_firing_for` as written. */
  readonly interval: number;
  readonly for: string | undefined;
  readonly keepFiringFor: string | undefined;
  readonly rules: number;
  readonly evaluations: number;
  readonly episodes: readonly Episode[];
  /** Seconds firing within the range, the longest episode, episodes shorter than the flapping threshold. */
  readonly firingSeconds: number;
  readonly longestSeconds: number;
  readonly flapping: number;
  readonly sources: readonly RecordedSource[];
  readonly errors: readonly string[];
  readonly measures?: AlertMeasures;
}

export interface SeverityNotifications {
  readonly severity: string;
  /** Notifications with a firing alert in them (first, new alerts, repeats). */
  readonly firing: number;
  /** All-resolved notices, to receivers that send them. */
  readonly resolved: number;
  readonly receivers: Readonly<Record<string, number>>;
}

export interface SideReport {
  readonly label: string;
  readonly rows: readonly AlertRow[];
  /** Undefined when the tree has no alertmanager.yml. */
  readonly notifications?: { readonly list: readonly Notification[]; readonly bySeverity: readonly SeverityNotifications[] };
  readonly incidents?: readonly IncidentOutcome[];
}

export interface BacktestReport {
  readonly prometheus: string;
  readonly from: number;
  readonly to: number;
  readonly evaluationInterval: number;
  readonly offset: number;
  readonly flappingEvaluations: number;
  readonly head: SideReport;
  readonly base?: SideReport;
  readonly incidents?: readonly Incident[];
}

/** Alert names asked for that neither tree has. */
export function unknownAlerts(input: Pick<BacktestInput, 'alerts' | 'head' | 'base'>): string[] {
  const known = new Set(
    [input.head, ...(input.base ? [input.base] : [])].flatMap((side) => alertingRules(side.tree).map((each) => each.rule.alert)),
  );
  return (input.alerts ?? []).filter((name) => !known.has(name));
}

export async function backtest(input: BacktestInput): Promise<BacktestReport> {
  const flappingEvaluations = input.flappingEvaluations ?? 3;
  const sides = [input.head, ...(input.base ? [input.base] : [])];
  let done = 0;
  const totals = new Map<BacktestSide, number>();
  const reports: SideReport[] = [];
  for (const side of sides) {
    const report = await backtestSide(side, input, flappingEvaluations, (sideDone, sideTotal) => {
      totals.set(side, sideTotal);
      const total = [...totals.values()].reduce((a, b) => a + b, 0);
      input.onProgress?.(done + sideDone, total);
    });
    done += totals.get(side) ?? 0;
    reports.push(report);
  }
  return {
    prometheus: input.api.url,
    from: input.range.from,
    to: input.range.to,
    evaluationInterval: input.evaluationInterval,
    offset: input.offset ?? 0,
    flappingEvaluations,
    head: reports[0]!,
    ...(reports[1] && { base: reports[1] }),
    ...(input.incidents && { incidents: input.incidents }),
  };
}

async function backtestSide(
  side: BacktestSide,
  input: BacktestInput,
  flappingEvaluations: number,
  onProgress: (done: number, total: number) => void,
): Promise<SideReport> {
  const all = alertingRules(side.tree);
  const wanted = (rule: AlertingRule): boolean => !input.alerts?.length || input.alerts.includes(rule.alert);
  const selected = all.filter((each) => wanted(each.rule));
  const config = side.tree.alertmanager?.config;
  // With --alert, the alerts that could inhibit the selected ones are replayed too.
  const inhibitors = config ? potentialInhibitors(all, selected, config.inhibitRules) : [];
  const replayed = await replay(input.api, [...selected, ...inhibitors], recordingRules(side.tree), input.range, {
    evaluationInterval: input.evaluationInterval,
    offset: input.offset,
    maxSteps: input.maxSteps,
    onProgress,
  });
  const shown = replayed.slice(0, selected.length);
  const rows = alertRows(shown, input.range.to, flappingEvaluations, input.incidents);
  const episodes = shown.flatMap((each) => each.episodes);
  const sent =
    config &&
    notifications(
      episodes,
      config,
      input.range.to,
      replayed.flatMap((each) => each.episodes),
    );
  return {
    label: side.label,
    rows,
    ...(sent && { notifications: { list: sent, bySeverity: bySeverity(sent) } }),
    ...(input.incidents && {
      incidents: measureIncidents(
        rows.map((row) => ({ identity: row, episodes: row.episodes })),
        input.incidents,
        input.range.to,
      ),
    }),
  };
}

/** Firing episodes of every rule of one alert name on a side, or null when the side has no such alert. */
export function firingCount(side: SideReport, name: string): number | null {
  const rows = side.rows.filter((row) => row.name === name);
  return rows.length === 0 ? null : rows.reduce((sum, row) => sum + row.episodes.length, 0);
}

function potentialInhibitors(
  all: readonly Located<AlertingRule>[],
  selected: readonly Located<AlertingRule>[],
  rules: Parameters<typeof inhibitorsOf>[0],
): Located<AlertingRule>[] {
  if (selected.length === all.length) return [];
  const labelsOf = (each: Located<AlertingRule>) => ({ alertname: each.rule.alert, ...each.rule.labels });
  const candidates = all.filter((each) => !selected.includes(each));
  const sources = inhibitorsOf(rules, candidates.map(labelsOf));
  const needed = new Set(selected.flatMap((each) => sources(labelsOf(each)).map((inhibitor) => labelKey(inhibitor.source))));
  return candidates.filter((each) => needed.has(labelKey(labelsOf(each))));
}

function alertRows(
  replayed: readonly ReplayedRule[],
  to: number,
  flappingEvaluations: number,
  incidents: readonly Incident[] | undefined,
): AlertRow[] {
  const byKey = new Map<string, ReplayedRule[]>();
  for (const each of replayed) {
    const key = `${each.name}\0${each.severity}`;
    byKey.set(key, [...(byKey.get(key) ?? []), each]);
  }
  return [...byKey.values()].map((rules) => {
    const first = rules[0]!;
    const episodes = rules.flatMap((each) => each.episodes).sort((a, b) => a.start - b.start);
    const lengths = episodes.map((episode) => (episode.end ?? to) - episode.start);
    const service = first.rule.labels.service;
    const row = {
      name: first.name,
      severity: first.severity,
      service,
      interval: first.interval,
      for: first.rule.for,
      keepFiringFor: first.rule.keep_firing_for,
      rules: rules.length,
      evaluations: Math.max(...rules.map((each) => each.evaluations)),
      episodes,
      firingSeconds: lengths.reduce((a, b) => a + b, 0),
      longestSeconds: Math.max(0, ...lengths),
      flapping: episodes.filter(
        (episode) => episode.end !== undefined && episode.end - episode.start < flappingEvaluations * first.interval,
      ).length,
      sources: uniqueSources(rules.flatMap((each) => each.sources)),
      errors: rules.flatMap((each) => (each.error ? [each.error] : [])),
    };
    return incidents ? { ...row, measures: measureAlert(row, episodes, incidents, to) } : row;
  });
}

function uniqueSources(sources: readonly RecordedSource[]): RecordedSource[] {
  const seen = new Map<string, RecordedSource>();
  for (const source of sources) seen.set(`${source.how} ${source.selector}`, source);
  return [...seen.values()];
}

function bySeverity(sent: readonly Notification[]): SeverityNotifications[] {
  const severities = [...new Set(sent.map((each) => each.severity))];
  return severities.map((severity) => {
    const ofSeverity = sent.filter((each) => each.severity === severity);
    const receivers: Record<string, number> = {};
    for (const each of ofSeverity) if (each.kind === 'firing') receivers[each.receiver] = (receivers[each.receiver] ?? 0) + 1;
    return {
      severity,
      firing: ofSeverity.filter((each) => each.kind === 'firing').length,
      resolved: ofSeverity.filter((each) => each.kind === 'resolved').length,
      receivers,
    };
  });
}

export type { Episode } from './simulate.ts';
export type { Incident } from './incidents.ts';
