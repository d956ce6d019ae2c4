import { alertingRules, type AlertingRule, type GeneratedTree, type Labels, type Located } from '../reader/index.ts';
import { labelKey, pairBy, without } from './labels.ts';

/**
 * An alert as reviewers think of it: one name and label set, with one rule per level
 * (monforge emits a rule per severity of a threshold alert, all under one name).
 */
export interface Alert {
  readonly name: string;
  /** The rules' labels without `severity`. */
  readonly labels: Labels;
  /** Severity (`''` when a rule has none) → rule, in rule order. */
  readonly levels: ReadonlyMap<string, Located<AlertingRule>>;
}

export interface AlertPair {
  readonly base?: Alert;
  readonly head?: Alert;
  /** Levels paired by severity, or the one level of each when a single-level alert changed severity. */
  readonly levels: readonly LevelPair[];
}

export interface LevelPair {
  readonly base?: Located<AlertingRule>;
  readonly head?: Located<AlertingRule>;
}

export const severityOf = (rule: AlertingRule): string => rule.labels.severity ?? '';

/** The full label set Alertmanager receives from a rule, before the series' own labels. */
export const ruleLabels = (rule: AlertingRule): Labels => ({ alertname: rule.alert, ...rule.labels });

/** The tree's alerting rules grouped into alerts, in rule order. */
export function alertsOf(tree: GeneratedTree): Alert[] {
  const byKey = new Map<string, { name: string; labels: Labels; levels: Map<string, Located<AlertingRule>> }>();
  for (const located of alertingRules(tree)) {
    const labels = without(located.rule.labels, 'severity');
    let key = `${located.rule.alert}${labelKey(labels)}`;
    // Two rules with one name, labels and severity are two alerts; keep both.
    while (byKey.get(key)?.levels.has(severityOf(located.rule))) key = `${key}+`;
    const alert = byKey.get(key) ?? { name: located.rule.alert, labels, levels: new Map() };
    alert.levels.set(severityOf(located.rule), located);
    byKey.set(key, alert);
  }
  return [...byKey.values()];
}

const sameName = (alert: Alert): string => alert.name;
const levelExprs = (alert: Alert): string => JSON.stringify([...alert.levels].map(([severity, { rule }]) => [severity, rule.expr]).sort());

/**
 * Pairs the alerts of two trees, so reordering is no change: by name and labels; then a
 * removed and an added alert with the same labels and expressions are a rename; then by name
 * alone (their labels changed); the rest are removed or added.
 */
export function pairAlerts(base: readonly Alert[], head: readonly Alert[]): AlertPair[] {
  const exact = pairBy(base, head, (alert) => `${alert.name}${labelKey(alert.labels)}`);
  const renamed = pairBy(exact.removed, exact.added, (alert) => `${labelKey(alert.labels)}${levelExprs(alert)}`);
  const byName = pairBy(renamed.removed, renamed.added, sameName);
  return [
    ...[...exact.pairs, ...renamed.pairs, ...byName.pairs].map(([from, to]) => ({ base: from, head: to, levels: pairLevels(from, to) })),
    ...byName.removed.map((alert) => ({ base: alert, levels: [...alert.levels.values()].map((rule) => ({ base: rule })) })),
    ...byName.added.map((alert) => ({ head: alert, levels: [...alert.levels.values()].map((rule) => ({ head: rule })) })),
  ];
}

function pairLevels(base: Alert, head: Alert): LevelPair[] {
  if (base.levels.size === 1 && head.levels.size === 1) return [{ base: [...base.levels.values()][0], head: [...head.levels.values()][0] }];
  const pairs: LevelPair[] = [...base.levels].map(([severity, rule]) => ({ base: rule, head: head.levels.get(severity) }));
  for (const [severity, rule] of head.levels) if (!base.levels.has(severity)) pairs.push({ head: rule });
  return pairs;
}
