import { matches } from '../compile/alertmanager/matchers.ts';
import type { Labels, Located, RecordingRule, Rule } from '../reader/index.ts';
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

/**
 * Where a rule runs: its group's interval, and its place in the order of a round (groups in the
 * order given, else file order; rules in group order). At one timestamp a rule sees what the
 * rules before it wrote in that round, and the previous round of those after it.
 */
export interface Place {
  readonly interval: number;
  readonly group: number;
  readonly rule: number;
}

export interface RecordingRules {
  /** Recording rules by the series name they write, in file and group order. */
  readonly byName: ReadonlyMap<string, readonly Located<RecordingRule>[]>;
  readonly placeOf: (rule: Located<Rule>) => Place;
}

export function recordingRulesByName(rules: readonly Located<RecordingRule>[], placeOf: RecordingRules['placeOf']): RecordingRules {
  const byName = new Map<string, Located<RecordingRule>[]>();
  for (const rule of rules) byName.set(rule.rule.record, [...(byName.get(rule.rule.record) ?? []), rule]);
  return { byName, placeOf };
}

/** Whether a rule at `reader` sees the round of `writer` at the same timestamp. */
const before = (writer: Place, reader: Place): boolean =>
  writer.group < reader.group || (writer.group === reader.group && writer.rule < reader.rule);

const maxDepth = 16;

/**
 * The alert expression with every recording rule it reads evaluated in place (see above).
 * `holds` is asked about recorded range selectors only.
 */
export async function inlineRecordingRules(expr: string, rules: RecordingRules, holds: ServerHolds, reader: Place): Promise<InlinedQuery> {
  const sources: RecordedSource[] = [];
  const query = await rewrite(expr, rules, holds, sources, [], reader);
  return { query, sources };
}

async function rewrite(
  expr: string,
  rules: RecordingRules,
  holds: ServerHolds,
  sources: RecordedSource[],
  trail: readonly string[],
  reader: Place,
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
      const places = selected.map(rules.placeOf);
      const step = Math.min(...places.map((place) => place.interval), ...(places.length === 0 ? [60] : []));
      // A writer later in the round has not written this timestamp yet: the range ends just before it.
      const lag = places.some((place) => !before(place, reader));
      const inner = await union(selected, selector.matchers, rules, holds, sources, [...trail, selector.name], undefined);
      sources.push({ selector: `${text}[${selector.range.duration}]`, how: 'subquery' });
      const window = lag ? `${rangeSeconds * 1000 - 1}ms` : selector.range.duration;
      out += `${expr.slice(done, selector.at)}(${inner})[${window}:${step}s]${lag ? ' offset 1ms' : ''}`;
      done = selector.range.end;
      continue;
    }
    if (modified) {
      // `x offset 1w` cannot become `(…) offset 1w`: PromQL allows offsets on selectors and subqueries only.
      sources.push({ selector: text, how: 'server' });
      continue;
    }
    sources.push({ selector: text, how: 'inlined' });
    out += `${expr.slice(done, selector.at)}(${await union(selected, selector.matchers, rules, holds, sources, [...trail, selector.name], reader)})`;
    done = selector.end;
  }
  return out + expr.slice(done);
}

/**
 * The series every selected rule records, as one expression: rules of one name write disjoint
 * label sets. Read at an instant by `reader`, a rule holds the value of its group's last round at
 * or before the reader's timestamp (`floor(t / interval) × interval`), or before it when the rule
 * runs later in the round: the last point of a subquery at the rule's interval spanning just under
 * one step (ending 1 ms early). When the reader runs at multiples of the rule's interval after
 * it, that is the rule's expression itself. Read through a range (`reader` undefined), the rule
 * is evaluated at the subquery's steps.
 */
async function union(
  selected: readonly Located<RecordingRule>[],
  matchers: readonly LabelMatcher[],
  rules: RecordingRules,
  holds: ServerHolds,
  sources: RecordedSource[],
  trail: readonly string[],
  reader: Place | undefined,
): Promise<string> {
  // A selector no rule of the tree matches selects nothing: an expression that is always empty.
  if (selected.length === 0) return 'vector(0) < 0';
  const parts: string[] = [];
  for (const located of selected) {
    const { rule } = located;
    const place = rules.placeOf(located);
    const inner = filtered(withLabels(await rewrite(rule.expr, rules, holds, sources, trail, place), rule.labels), matchers, rule.labels);
    if (reader === undefined || (before(place, reader) && reader.interval % place.interval === 0)) parts.push(inner);
    else {
      const lag = before(place, reader) ? '' : ' offset 1ms';
      parts.push(`last_over_time((${inner})[${place.interval * 1000 - 1}ms:${place.interval}s]${lag})`);
    }
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
