import type { AlertingRule, GeneratedTree } from '../reader/index.ts';
import { splitThreshold } from '../promql/comparisons.ts';
import { severityOf, type Alert, type AlertPair, type LevelPair } from './alert-pairs.ts';
import { panelIds } from './dashboards.ts';
import { labelKey, sameValue } from './labels.ts';
import { jsonNumber } from './numbers.ts';
import { sloKey } from './slos.ts';
import { soleSource, type Change, type JsonValue } from './types.ts';

/** Where a rule is defined: its name, else (for generated burn-rate and outage alerts) its SLO, else its service. */
export const alertAnchors = (rule: AlertingRule): string[] => [
  rule.alert,
  ...[rule.labels.slo, rule.labels.service].filter((name) => name !== undefined),
];

/** A threshold alert of monforge's ratio helpers reads `100 * errors / total > 0.5`: its levels are percent. */
const unitOf = (rule: AlertingRule): string | undefined => (/^100 \* /.test(rule.expr) ? '%' : undefined);

/** The expression without its threshold (`… >`), or the whole expression when it has none. */
function condition(rule: AlertingRule): string {
  const threshold = splitThreshold(rule.expr);
  return threshold ? `${threshold.operand} ${threshold.op}` : rule.expr;
}

function threshold(rule: AlertingRule): number | undefined {
  const found = splitThreshold(rule.expr);
  return found && jsonNumber(found.value);
}

interface Side {
  readonly display: JsonValue;
  /** What equality is decided on (links to dashboard panels compare by panel, not by id). */
  readonly compare: JsonValue;
}

/** The per-level fields of a rule that are compared, expression and threshold aside; `link` rewrites dashboard links for comparing. */
function levelFields(rule: AlertingRule, link: (value: string) => string, skip: ReadonlySet<string>): Map<string, Side> {
  const fields = new Map<string, Side>();
  const plain = (value: JsonValue): Side => ({ display: value, compare: value });
  fields.set('for', plain(rule.for ?? null));
  fields.set('keep_firing_for', plain(rule.keep_firing_for ?? null));
  for (const [name, value] of Object.entries(rule.annotations)) {
    if (!skip.has(`annotations.${name}`)) fields.set(`annotations.${name}`, { display: value, compare: link(value) });
  }
  return fields;
}

const panelLink = /\/d\/([^/?#\s]+)[^\s]*?[?&]viewPanel=(\d+)/g;

/** A base link to a panel as the head numbers that panel: ids shift when panels are added before it. */
function renumbered(ids: ReadonlyMap<string, ReadonlyMap<number, number>>): (value: string) => string {
  return (value) =>
    value.replace(panelLink, (link, uid: string, id: string) => {
      const now = ids.get(uid)?.get(Number(id));
      return now === undefined ? link : link.replace(/viewPanel=\d+/, `viewPanel=${now}`);
    });
}

/** What an added or removed alert does: its levels, condition and `for`. */
function alertSummary(alert: Alert): JsonValue {
  const rules = [...alert.levels.values()].map(({ rule }) => rule);
  return {
    expr: condition(rules[0]!),
    levels: Object.fromEntries(rules.map((rule) => [severityOf(rule), threshold(rule) ?? null])),
    for: rules[0]!.for ?? null,
  };
}

/**
 * Field changes of paired alerts, added and removed ones. A field that changed the same way at
 * every level is one change; otherwise one per level. Burn-rate alerts of an SLO whose
 * objective, window or SLI changed leave their expression and description to the SLO section.
 */
export function diffAlerts(
  pairs: readonly AlertPair[],
  base: GeneratedTree,
  head: GeneratedTree,
  explained: ReadonlySet<string>,
): Change[] {
  const ambiguous = ambiguousNames(pairs);
  const links = { base: renumbered(panelIds(base, head)), head: (value: string) => value };
  const changes: Change[] = [];
  for (const pair of pairs) {
    const alert = (pair.head ?? pair.base)!;
    const first = [...alert.levels.values()][0]!;
    const object = ambiguous.has(alert.name) ? `${alert.name}${labelKey(alert.labels)}` : alert.name;
    const common = {
      kind: 'alert' as const,
      object,
      file: first.file.path,
      source: soleSource(first.file.sources),
      anchors: alertAnchors(first.rule),
    };
    if (!pair.base) {
      changes.push({ ...common, action: 'added', after: alertSummary(pair.head!), unit: unitOf(first.rule), breaking: false });
      continue;
    }
    if (!pair.head) {
      changes.push({ ...common, action: 'removed', before: alertSummary(pair.base), unit: unitOf(first.rule), breaking: false });
      continue;
    }
    if (pair.base.name !== pair.head.name)
      changes.push({ ...common, action: 'renamed', field: 'name', before: pair.base.name, after: pair.head.name, breaking: false });
    for (const label of new Set([...Object.keys(pair.base.labels), ...Object.keys(pair.head.labels)])) {
      const [was, is] = [pair.base.labels[label] ?? null, pair.head.labels[label] ?? null];
      if (was !== is) changes.push({ ...common, action: 'changed', field: `labels.${label}`, before: was, after: is, breaking: false });
    }
    const slo = sloKey(pair.head.labels);
    const skip = new Set(
      slo !== undefined && explained.has(slo) && pair.head.labels.tier !== undefined ? ['expr', 'annotations.description'] : [],
    );
    changes.push(...levelChanges(pair.levels, common, links, skip));
  }
  return changes;
}

type Common = Pick<Change, 'kind' | 'object' | 'file' | 'source' | 'anchors'>;

type Links = Record<'base' | 'head', (value: string) => string>;

function levelChanges(levels: readonly LevelPair[], common: Common, links: Links, skip: ReadonlySet<string>): Change[] {
  const changes: Change[] = [];
  const both = levels.filter((level): level is Required<LevelPair> => level.base !== undefined && level.head !== undefined);
  for (const level of levels) {
    if (level.base && level.head) {
      const [was, is] = [severityOf(level.base.rule), severityOf(level.head.rule)];
      if (was !== is)
        changes.push({ ...common, action: 'changed', field: 'severity', before: was, after: is, highlight: true, breaking: false });
      continue;
    }
    const rule = (level.head ?? level.base)!.rule;
    const value = threshold(rule) ?? condition(rule);
    changes.push({
      ...common,
      action: 'changed',
      field: 'level',
      level: severityOf(rule),
      ...(level.head ? { before: null, after: value } : { before: value, after: null }),
      unit: unitOf(rule),
      highlight: true,
      breaking: false,
    });
  }
  // Expressions are parsed only where they differ.
  const edited = new Set(both.filter(({ base: was, head: is }) => was.rule.expr !== is.rule.expr));
  for (const { base: was, head: is } of edited) {
    const [from, to] = [threshold(was.rule), threshold(is.rule)];
    if (from !== undefined && to !== undefined && from !== to)
      changes.push({
        ...common,
        action: 'changed',
        field: 'threshold',
        level: severityOf(is.rule),
        before: from,
        after: to,
        unit: unitOf(is.rule),
        breaking: false,
      });
  }
  const perLevel = both.map((pair) => {
    const fields = (rule: AlertingRule, link: (value: string) => string): Map<string, Side> => {
      const expr = edited.has(pair) ? condition(rule) : rule.expr;
      return new Map([
        ...(skip.has('expr') ? [] : [['expr', { display: expr, compare: expr }] as const]),
        ...levelFields(rule, link, skip),
      ]);
    };
    return { level: severityOf(pair.head.rule), before: fields(pair.base.rule, links.base), after: fields(pair.head.rule, links.head) };
  });
  const names = new Set(perLevel.flatMap(({ before, after }) => [...before.keys(), ...after.keys()]));
  for (const field of names) {
    const differing = perLevel
      .map(({ level, before, after }) => ({ level, before: before.get(field), after: after.get(field) }))
      .filter(({ before, after }) => !sameValue(before?.compare ?? null, after?.compare ?? null));
    if (differing.length === 0) continue;
    const uniform =
      differing.length === levels.length && differing.every((each) => sameValue(each, { ...differing[0]!, level: each.level }));
    for (const each of uniform ? [differing[0]!] : differing) {
      changes.push({
        ...common,
        action: 'changed',
        field,
        ...(uniform ? {} : { level: each.level }),
        before: each.before?.display ?? null,
        after: each.after?.display ?? null,
        breaking: false,
      });
    }
  }
  return changes;
}

/** Names two alerts share within a tree (different labels): those are shown with their labels. */
function ambiguousNames(pairs: readonly AlertPair[]): Set<string> {
  const count = (side: 'base' | 'head') => {
    const seen = new Map<string, number>();
    for (const pair of pairs) {
      const alert = pair[side];
      if (alert) seen.set(alert.name, (seen.get(alert.name) ?? 0) + 1);
    }
    return [...seen].filter(([, times]) => times > 1).map(([name]) => name);
  };
  return new Set([...count('base'), ...count('head')]);
}
