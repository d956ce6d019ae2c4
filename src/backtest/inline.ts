import { matches } from '../compile/alertmanager/matchers.ts';
import type { Labels, Located, RecordingRule } from '../generated/index.ts';
import { compoundSeconds } from '../model/duration.ts';
import { type LabelMatcher, parsePromql } from '../promql/parse.ts';

// An alert reads recording rules; in a backtest their series may not exist (a rule added by the
// pull request) or may come from other rules than the ones under test (the base revision). So
// the rules an alert reads are evaluated as part of the alert's own query:
//
// - an instant selector of a recorded series becomes the rule's expression with the rule's
//   labels set and the selector's matchers applied. Prometheus evaluates a group's rules in order
//   at one timestamp (rules/group.go Eval), so the alert reads what the rule just wrote: the
//   same value the inlined expression has at that timestamp;
// - a range selector (`sum_over_time(slo:…[30d])`) needs the rule's past values: read from the
//   server when it holds the series over the whole range, else recomputed with a subquery at the
//   rule group's interval, which evaluates at the same absolute multiples of the interval as the
//   group does (offset 0).

/** How the series of one recording rule an alert reads were obtained. */
export interface RecordedSource {
  /** `slo:sli_error:ratio_rate5m{service="api",slo="availability"}` as the alert selects it. */
  readonly selector: string;
  readonly how: 'inlined' | 'server' | 'subquery';
}

export interface InlinedQuery {
  readonly query: string;
  readonly sources: readonly RecordedSource[];
}

/** What the server holds, asked once per recorded range selector: true when its series cover the range. */
export type ServerHolds = (selector: string, rangeSeconds: number) => Promise<boolean>;

export interface RecordingRules {
  /** Recording rules by the series name they write, in file and group order. */
  readonly byName: ReadonlyMap<string, readonly Located<RecordingRule>[]>;
  /** Evaluation interval of a group, seconds. */
  readonly intervalOf: (rule: Located<RecordingRule>) => number;
}

export function recordingRulesByName(rules: readonly Located<RecordingRule>[], intervalOf: RecordingRules['intervalOf']): RecordingRules {
  const byName = new Map<string, Located<RecordingRule>[]>();
  for (const rule of rules) byName.set(rule.rule.record, [...(byName.get(rule.rule.record) ?? []), rule]);
  return { byName, intervalOf };
}

const maxDepth = 16;

/**
 * The alert expression with every recording rule it reads evaluated in place (see above).
 * `holds` is asked about recorded range selectors only.
 */
export async function inlineRecordingRules(expr: string, rules: RecordingRules, holds: ServerHolds): Promise<InlinedQuery> {
  const sources: RecordedSource[] = [];
  const query = await rewrite(expr, rules, holds, sources, []);
  return { query, sources };
}

async function rewrite(
  expr: string,
  rules: RecordingRules,
  holds: ServerHolds,
  sources: RecordedSource[],
  trail: readonly string[],
): Promise<string> {
  const { selectors, errors } = parsePromql(expr);
  if (errors.length > 0) throw new Error(`cannot parse ${JSON.stringify(expr)}: ${errors[0]!.message}`);
  let out = '';
  let done = 0;
  for (const selector of selectors) {
    const recorded = selector.name === undefined ? undefined : rules.byName.get(selector.name);
    if (!recorded || selector.name === undefined) continue;
    if (trail.includes(selector.name) || trail.length >= maxDepth)
      throw new Error(`recording rule ${selector.name} reads itself through ${[...trail, selector.name].join(' → ')}`);
    const text = expr.slice(selector.at, selector.end);
    const modified = /^\s*(offset\b|@)/.test(expr.slice(selector.range?.end ?? selector.end));
    const selected = recorded.filter((each) => staticallySelected(each.rule, selector.matchers));
    if (selector.range) {
      const rangeSeconds = compoundSeconds(selector.range.duration);
      if (modified || rangeSeconds === undefined || (await holds(text, rangeSeconds))) {
        sources.push({ selector: `${text}[${selector.range.duration}]`, how: 'server' });
        continue;
      }
      const interval = Math.min(...selected.map(rules.intervalOf), ...(selected.length === 0 ? [60] : []));
      const inner = await union(selected, selector.matchers, rules, holds, sources, [...trail, selector.name]);
      sources.push({ selector: `${text}[${selector.range.duration}]`, how: 'subquery' });
      out += `${expr.slice(done, selector.at)}(${inner})[${selector.range.duration}:${interval}s]`;
      done = selector.range.end;
      continue;
    }
    if (modified) {
      // `x offset 1w` cannot become `(…) offset 1w`: PromQL allows offsets on selectors and subqueries only.
      sources.push({ selector: text, how: 'server' });
      continue;
    }
    sources.push({ selector: text, how: 'inlined' });
    out += `${expr.slice(done, selector.at)}(${await union(selected, selector.matchers, rules, holds, sources, [...trail, selector.name])})`;
    done = selector.end;
  }
  return out + expr.slice(done);
}

/** The series every selected rule records, as one expression: rules of one name write disjoint label sets. */
async function union(
  selected: readonly Located<RecordingRule>[],
  matchers: readonly LabelMatcher[],
  rules: RecordingRules,
  holds: ServerHolds,
  sources: RecordedSource[],
  trail: readonly string[],
): Promise<string> {
  // A selector no rule of the tree matches selects nothing: an expression that is always empty.
  if (selected.length === 0) return 'vector(0) < 0';
  const parts: string[] = [];
  for (const { rule } of selected) {
    const inner = await rewrite(rule.expr, rules, holds, sources, trail);
    parts.push(filtered(withLabels(inner, rule.labels), matchers, rule.labels));
  }
  return parts.length === 1 ? parts[0]! : parts.map((part) => `(${part})`).join(' or ');
}

/** False when a matcher on a label the rule sets (or on `__name__`) rejects the rule's value. */
function staticallySelected(rule: RecordingRule, matchers: readonly LabelMatcher[]): boolean {
  return matchers.every((matcher) => {
    const value = matcher.label === '__name__' ? rule.record : rule.labels[matcher.label];
    // Prometheus's matchers: equality, or a fully anchored regex, as Alertmanager's.
    return value === undefined || matches(matcher, { [matcher.label]: value });
  });
}

const quote = (text: string): string => JSON.stringify(text);

/** `label_replace(e, "l", "v", "", "")` sets `l` on every series: what a rule's `labels` do to its result. */
function withLabels(expr: string, labels: Labels): string {
  return Object.entries(labels).reduce(
    (inner, [label, value]) => `label_replace(${inner}, ${quote(label)}, ${quote(escapeReplacement(value))}, "", "")`,
    expr,
  );
}

/** `$` starts a group reference in label_replace's replacement. */
const escapeReplacement = (value: string): string => value.replaceAll('$', '$$');

const marker = '__monforge_backtest';

/**
 * The selector's matchers on labels the rule does not set, applied to its result: the series a
 * matcher accepts are marked with label_replace (whose regex is anchored, like a matcher's) and
 * kept (or, for `!=` and `!~`, dropped) by a set operation on the mark, which is then removed.
 */
function filtered(expr: string, matchers: readonly LabelMatcher[], labels: Labels): string {
  let out = expr;
  for (const matcher of matchers) {
    if (matcher.label === '__name__' || labels[matcher.label] !== undefined) continue;
    const regex = matcher.op === '=' || matcher.op === '!=' ? escapeRegex(matcher.value) : matcher.value;
    const keep = matcher.op === '=' || matcher.op === '=~' ? 'and' : 'unless';
    const marked = `label_replace(${out}, "${marker}", "1", ${quote(matcher.label)}, ${quote(regex)})`;
    const mark = `label_replace(vector(1), "${marker}", "1", "", "")`;
    out = `label_replace(${marked} ${keep} on(${marker}) ${mark}, "${marker}", "", "", "")`;
  }
  return out;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
