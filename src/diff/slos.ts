import { div, mul, rational, toNumber, type Rational } from '../model/decimal.ts';
import { durationSeconds, formatDuration } from '../model/duration.ts';
import { selectorComparisons } from '../promql/comparisons.ts';
import { alertingRules, recordingRules, type AlertingRule, type GeneratedTree, type Located, type RecordingRule } from '../reader/index.ts';
import { decimalNumber, jsonNumber } from './numbers.ts';
import { sameValue } from './labels.ts';
import { soleSource, type Change, type JsonValue } from './types.ts';

// SLOs as their metadata rules describe them (Sloth's names: slo:objective:ratio,
// slo:error_budget:ratio, slo:time_period:days, slo:sli_error:ratio_rate<window>) and the
// burn-rate alerts labelled with their `slo` and `tier`.

export interface Slo {
  /** `api/availability` */
  readonly key: string;
  readonly objective: Rational;
  readonly budget: Rational;
  /** The SLO window, e.g. `30d`. */
  readonly window: string;
  /** The error ratio over the shortest window, as recorded. */
  readonly sli: string | undefined;
  /** The expression of each burn-rate tier's alert (`page`, `ticket`). */
  readonly tiers: Readonly<Record<string, string>>;
  readonly file: string;
  readonly source: string | undefined;
}

/** One condition of a burn-rate tier: the error ratio over both windows above `threshold`. */
export interface BurnCondition {
  readonly windows: readonly string[];
  readonly threshold: Rational;
}

const sliRecord = /^slo:sli_error:ratio_rate(\w+)$/;

const cache = new WeakMap<GeneratedTree, Map<string, Slo>>();

/** The SLOs of a tree by `service/slo` (computed once per tree). */
export function slosOf(tree: GeneratedTree): Map<string, Slo> {
  let slos = cache.get(tree);
  if (!slos) {
    slos = readSlos(tree);
    cache.set(tree, slos);
  }
  return slos;
}

function readSlos(tree: GeneratedTree): Map<string, Slo> {
  const records = groupBySlo(recordingRules(tree));
  const alerts = groupBySlo(alertingRules(tree));
  const slos = new Map<string, Slo>();
  for (const [key, rules] of records) {
    const constant = (record: string): Rational | undefined => {
      const literal = /^vector\((.+)\)$/.exec(rules.find((each) => each.rule.record === record)?.rule.expr.trim() ?? '')?.[1];
      return literal === undefined ? undefined : decimalNumber(literal);
    };
    const objective = rules.find((each) => each.rule.record === 'slo:objective:ratio');
    const [ratio, budget, days] = ['slo:objective:ratio', 'slo:error_budget:ratio', 'slo:time_period:days'].map(constant);
    if (!objective || ratio === undefined || budget === undefined || days === undefined) continue;
    const tiers: Record<string, string> = {};
    for (const { rule } of alerts.get(key) ?? []) if (rule.labels.tier !== undefined) tiers[rule.labels.tier] = rule.expr;
    slos.set(key, {
      key,
      objective: ratio,
      budget,
      // Windows are spoken of in days (`28d`, not `4w`).
      window: days.den === 1n ? `${days.num}d` : formatDuration(toNumber(mul(days, rational(86400)))),
      sli: shortestSli(rules),
      tiers,
      file: objective.file.path,
      source: soleSource(objective.file.sources),
    });
  }
  return slos;
}

function groupBySlo<R extends Located<RecordingRule> | Located<AlertingRule>>(rules: readonly R[]): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const rule of rules) {
    const key = sloKey(rule.rule.labels);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(rule);
    else groups.set(key, [rule]);
  }
  return groups;
}

export function sloKey(labels: Readonly<Record<string, string>>): string | undefined {
  return labels.service !== undefined && labels.slo !== undefined ? `${labels.service}/${labels.slo}` : undefined;
}

function shortestSli(records: readonly Located<RecordingRule>[]): string | undefined {
  const windows = records
    .filter((each) => sliRecord.test(each.rule.record))
    .map((each) => ({ expr: each.rule.expr, seconds: durationSeconds(sliRecord.exec(each.rule.record)![1]!) ?? Infinity }))
    .sort((a, b) => a.seconds - b.seconds);
  return windows[0]?.expr;
}

/** `(long > t and short > t) or (…)` → one condition per pair of windows sharing a threshold. */
function burnConditions(expr: string): BurnCondition[] {
  const conditions: { windows: string[]; threshold: Rational }[] = [];
  for (const comparison of selectorComparisons(expr)) {
    const window = sliRecord.exec(comparison.name)?.[1];
    if (window === undefined) continue;
    const last = conditions.at(-1);
    if (last && last.windows.length === 1 && sameValue(last.threshold, comparison.value)) last.windows.push(window);
    else conditions.push({ windows: [window], threshold: comparison.value });
  }
  return conditions;
}

/** Error budget in time: the budget ratio of the window (0.1 % of 30d is 43m12s). */
export const budgetSeconds = (slo: Slo): number => jsonNumber(mul(slo.budget, rational(durationSeconds(slo.window) ?? 0)));

const percent = (ratio: Rational): number => jsonNumber(mul(ratio, rational(100)));

function summary(slo: Slo): JsonValue {
  return { objective: percent(slo.objective), window: slo.window, errorBudgetSeconds: budgetSeconds(slo) };
}

function tierValue(slo: Slo, tier: string): JsonValue {
  const expr = slo.tiers[tier];
  if (expr === undefined) return null;
  return burnConditions(expr).map((condition) => ({
    windows: [...condition.windows],
    errorRatio: jsonNumber(condition.threshold),
    factor: slo.budget.num === 0n ? null : jsonNumber(div(condition.threshold, slo.budget)),
  }));
}

/** Changes of every SLO, and the keys of those whose burn alerts' expressions they explain. */
export function diffSlos(base: GeneratedTree, head: GeneratedTree): { changes: Change[]; changed: Set<string> } {
  const before = slosOf(base);
  const after = slosOf(head);
  const changes: Change[] = [];
  const changed = new Set<string>();
  const common = (slo: Slo) => ({
    kind: 'slo' as const,
    object: slo.key,
    file: slo.file,
    source: slo.source,
    anchors: [slo.key.split('/')[1]!, slo.key.split('/')[0]!],
  });
  for (const [key, old] of before) {
    const now = after.get(key);
    if (!now) {
      changes.push({ ...common(old), action: 'removed', before: summary(old), breaking: false });
      continue;
    }
    // Burn-rate expressions are parsed only where they differ.
    const tiers = [...new Set([...Object.keys(old.tiers), ...Object.keys(now.tiers)])].filter(
      (tier) => old.tiers[tier] !== now.tiers[tier],
    );
    const fields: [string, JsonValue, JsonValue, string?][] = [
      ['objective', percent(old.objective), percent(now.objective), '%'],
      ['window', old.window, now.window],
      ['error budget', { seconds: budgetSeconds(old), window: old.window }, { seconds: budgetSeconds(now), window: now.window }],
      ...tiers.map((tier): [string, JsonValue, JsonValue] => [`${tier} tier`, tierValue(old, tier), tierValue(now, tier)]),
      ['sli', old.sli ?? null, now.sli ?? null],
    ];
    for (const [field, was, is, unit] of fields) {
      if (sameValue(was, is)) continue;
      changed.add(key);
      changes.push({ ...common(now), action: 'changed', field, before: was, after: is, ...(unit && { unit }), breaking: false });
    }
  }
  for (const [key, slo] of after)
    if (!before.has(key)) changes.push({ ...common(slo), action: 'added', after: summary(slo), breaking: false });
  return { changes, changed };
}
