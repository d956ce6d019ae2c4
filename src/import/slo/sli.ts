import type { LabelMatcher } from '../../promql/parse.ts';
import { promqlTree, type PromqlNode } from '../../promql/ast.ts';
import type { GaugeBoundKind } from '../../model/slo.ts';

// What an SLO spec's queries compute, as one of monforge's SLI kinds, or why it is none of
// them. Only exact equivalences are accepted: a query that merely resembles a kind is refused
// with the reason, never approximated.

/** A metric's series as the query selects them: its name (a histogram's base name) and matchers. */
export interface SelectorSpec {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
}

export type SliSpec =
  | { readonly kind: 'ratio'; readonly errors: SelectorSpec; readonly total: SelectorSpec }
  | { readonly kind: 'ratio'; readonly good: SelectorSpec; readonly total: SelectorSpec }
  | { readonly kind: 'latency'; readonly histogram: SelectorSpec; readonly threshold: number }
  | {
      readonly kind: 'gauge';
      readonly gauge: SelectorSpec;
      /** A bound a sample must meet, or `'value'`: every sample is its own share of good. */
      readonly good: { readonly kind: GaugeBoundKind; readonly value: number } | 'value';
    };

export type Recognized = { readonly sli: SliSpec } | { readonly reason: string };

/**
 * How a source writes its windows: Sloth's queries read `{{.window}}` wherever a window goes;
 * OpenSLO's read counters as they are (`counter: true`) or rates over a range of their own,
 * a sampling detail that does not change which events they count.
 */
export type QueryForm = 'sloth' | 'counter' | 'rate';

/** Sloth's window placeholder, as a duration the parser accepts and no one writes. */
const windowStandIn = '987654321s';
const windowTemplate = /\{\{\s*\.window\s*\}\}/g;

function parse(query: string, form: QueryForm, what: string): { node: PromqlNode } | { reason: string } {
  const templated = query.replace(windowTemplate, windowStandIn);
  if (form === 'sloth' && templated === query) return { reason: `the ${what} does not read {{.window}}` };
  const parsed = promqlTree(templated);
  return 'error' in parsed ? { reason: `the ${what} is not valid PromQL: ${parsed.error}` } : { node: parsed.tree };
}

/** A part and a total query, parsed; the first one that is not valid says why. */
function parsePair(
  part: readonly [query: string, what: string],
  total: readonly [query: string, what: string],
  form: QueryForm,
): [{ node: PromqlNode }, { node: PromqlNode }] | { reason: string } {
  const first = parse(part[0], form, part[1]);
  if ('reason' in first) return first;
  const second = parse(total[0], form, total[1]);
  return 'reason' in second ? second : [first, second];
}

const isVectorZero = (node: PromqlNode): boolean =>
  node.type === 'call' && node.fn === 'vector' && node.args.length === 1 && node.args[0]!.type === 'number' && node.args[0]!.value === 0;

/** `x or vector(0)`, `x or on() vector(0)`: the 0 monforge's bad-events rule already falls back to. */
function withoutZeroFallback(node: PromqlNode): PromqlNode {
  if (node.type === 'binary' && node.op === 'or' && isVectorZero(node.rhs) && (!node.matching || node.matching.labels.length === 0))
    return node.lhs;
  return node;
}

function selectorSpec(node: PromqlNode, what: string): SelectorSpec | { reason: string } {
  if (node.type !== 'selector') return { reason: `the ${what} is not a series selector` };
  if (node.name === undefined) return { reason: `the ${what} selects no metric by name` };
  if (node.offset !== undefined) return { reason: `the ${what} reads the past (offset ${node.offset})` };
  return { metric: node.name, matchers: node.matchers };
}

/** A sum over every series: `sum(…)` or `sum by () (…)`. */
function summed(node: PromqlNode, what: string): PromqlNode | { reason: string } {
  if (node.type !== 'aggregate' || node.op !== 'sum')
    return { reason: `the ${what} is not summed (sum(…)): an SLI divides series by series there, monforge's by their totals` };
  if (node.grouping && !(node.grouping.kind === 'by' && node.grouping.labels.length === 0))
    return {
      reason: `the ${what} is summed ${node.grouping.kind} (${node.grouping.labels.join(', ')}): monforge's SLIs are one series per SLO`,
    };
  return node.expr;
}

/** The counter whose events a query counts: `sum(rate(x[w]))`, `sum(increase(x[w]))`, or `sum(x)` for OpenSLO counters. */
function countedEvents(node: PromqlNode, form: QueryForm, what: string): SelectorSpec | { reason: string } {
  // OpenSLO's counters (`counter: true`) are read as they are, summed or not: the events are their increase.
  if (form === 'counter' && node.type === 'selector' && node.range === undefined) return selectorSpec(node, what);
  const inner = summed(node, what);
  if ('reason' in inner) return inner;
  if (inner.type === 'call' && (inner.fn === 'rate' || inner.fn === 'increase') && inner.args.length === 1) {
    const arg = inner.args[0]!;
    if (arg.type !== 'selector' || arg.range === undefined)
      return { reason: `the ${what} takes the ${inner.fn} of something other than a series` };
    if (form === 'sloth' && arg.range !== windowStandIn)
      return {
        reason: `the ${what} reads a fixed range [${arg.range}] instead of [{{.window}}], so every window would count the same minutes`,
      };
    if (form === 'counter') return { reason: `the ${what} takes a ${inner.fn} although the metric is declared a counter (counter: true)` };
    return selectorSpec({ ...arg, range: undefined }, what);
  }
  if (form === 'counter' && inner.type === 'selector' && inner.range === undefined) return selectorSpec(inner, what);
  return { reason: `the ${what} is not ${form === 'counter' ? 'sum(<counter>)' : 'sum(rate(<counter>[…]))'}` };
}

const sameMatchers = (a: readonly LabelMatcher[], b: readonly LabelMatcher[]): boolean => {
  const key = (m: LabelMatcher): string => `${m.label}${m.op}${JSON.stringify(m.value)}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((each, index) => each === right[index]);
};

const sameSeries = (a: SelectorSpec, b: SelectorSpec): boolean => a.metric === b.metric && sameMatchers(a.matchers, b.matchers);

/** A histogram's bucket: base name, its `le` (Infinity for +Inf) and the other matchers. */
function bucketOf(selector: SelectorSpec): { base: string; le: number; others: readonly LabelMatcher[] } | undefined {
  if (!selector.metric.endsWith('_bucket')) return undefined;
  const le = selector.matchers.filter((m) => m.label === 'le');
  if (le.length !== 1 || le[0]!.op !== '=') return undefined;
  const value = le[0]!.value === '+Inf' ? Number.POSITIVE_INFINITY : Number(le[0]!.value);
  if (Number.isNaN(value)) return undefined;
  return { base: selector.metric.slice(0, -'_bucket'.length), le: value, others: selector.matchers.filter((m) => m.label !== 'le') };
}

/** A histogram's observation count: `_count`, or the +Inf bucket, which always equals it. */
function countOf(selector: SelectorSpec): { base: string; others: readonly LabelMatcher[] } | undefined {
  if (selector.metric.endsWith('_count')) return { base: selector.metric.slice(0, -'_count'.length), others: selector.matchers };
  const bucket = bucketOf(selector);
  return bucket && bucket.le === Number.POSITIVE_INFINITY ? { base: bucket.base, others: bucket.others } : undefined;
}

/** Both count the observations of one histogram's series (`_count` or the +Inf bucket). */
function sameCount(a: SelectorSpec, b: SelectorSpec): boolean {
  const left = countOf(a);
  const right = countOf(b);
  return left !== undefined && right !== undefined && left.base === right.base && sameMatchers(left.others, right.others);
}

/** `bucket` counts the fast ones among `total`'s observations: a latency SLI. */
function latency(bucket: SelectorSpec, total: SelectorSpec): SliSpec | undefined {
  const fast = bucketOf(bucket);
  const all = countOf(total);
  if (!fast || !all || fast.le === Number.POSITIVE_INFINITY || fast.base !== all.base || !sameMatchers(fast.others, all.others))
    return undefined;
  return { kind: 'latency', histogram: { metric: fast.base, matchers: fast.others }, threshold: fast.le };
}

/** A counter read as events may not be a bucket: a bucket only makes sense against its histogram's count. */
function countable(selector: SelectorSpec, what: string): { reason: string } | undefined {
  return bucketOf(selector)
    ? { reason: `the ${what} counts a histogram bucket of ${selector.metric} without its _count as the total` }
    : undefined;
}

/** Sloth's events, OpenSLO's bad/total: the bad events counted directly, or as total minus good. */
export function sliFromBadAndTotal(
  badQuery: string,
  totalQuery: string,
  form: QueryForm,
  names = { bad: 'error query', total: 'total query' },
): Recognized {
  const trees = parsePair([badQuery, names.bad], [totalQuery, names.total], form);
  if ('reason' in trees) return trees;
  const [badTree, totalTree] = trees;
  const gauge = gaugeEvents(withoutZeroFallback(badTree.node), totalTree.node, names);
  if (gauge) return gauge;
  const total = countedEvents(totalTree.node, form, names.total);
  if ('reason' in total) return total;
  const bad = withoutZeroFallback(badTree.node);
  if (bad.type === 'binary' && bad.op === '-' && !bad.matching) {
    const all = countedEvents(bad.lhs, form, `left side of the ${names.bad}`);
    if ('reason' in all) return all;
    const good = countedEvents(bad.rhs, form, `right side of the ${names.bad}`);
    if ('reason' in good) return good;
    const slow = latency(good, total);
    if (slow && sameCount(all, total)) return { sli: slow };
    if (!sameSeries(all, total)) return { reason: `the ${names.bad} subtracts from other series than the ${names.total} selects` };
    return countable(good, `right side of the ${names.bad}`) ?? countable(total, names.total) ?? { sli: { kind: 'ratio', good, total } };
  }
  const errors = countedEvents(bad, form, names.bad);
  if ('reason' in errors) return errors;
  return countable(errors, names.bad) ?? countable(total, names.total) ?? { sli: { kind: 'ratio', errors, total } };
}

/** OpenSLO's good/total: fast requests (a bucket over its histogram's count) or good events. */
export function sliFromGoodAndTotal(
  goodQuery: string,
  totalQuery: string,
  form: QueryForm,
  names = { good: 'good query', total: 'total query' },
): Recognized {
  const trees = parsePair([goodQuery, names.good], [totalQuery, names.total], form);
  if ('reason' in trees) return trees;
  const [goodTree, totalTree] = trees;
  const good = countedEvents(goodTree.node, form, names.good);
  if ('reason' in good) return good;
  const total = countedEvents(totalTree.node, form, names.total);
  if ('reason' in total) return total;
  const slow = latency(good, total);
  if (slow) return { sli: slow };
  return countable(good, names.good) ?? countable(total, names.total) ?? { sli: { kind: 'ratio', good, total } };
}

/**
 * Sloth's raw error ratio: `bad / total` or `1 - good / total` over rates of counters, or
 * `1 - sum(sum_over_time(g[w])) / sum(count_over_time(g[w]))`, the mean of a 0–1 gauge.
 */
export function sliFromErrorRatio(query: string, form: QueryForm, what = 'error ratio query'): Recognized {
  const tree = parse(query, form, what);
  if ('reason' in tree) return tree;
  let node = tree.node;
  let complement = false;
  if (node.type === 'binary' && node.op === '-' && node.lhs.type === 'number' && node.lhs.value === 1 && !node.matching) {
    complement = true;
    node = node.rhs;
  }
  const mean = complement ? gaugeMean(node, form, what) : undefined;
  if (mean) return mean;
  if (node.type !== 'binary' || node.op !== '/' || node.matching)
    return { reason: `the ${what} is not a ratio of two sums of counter rates (bad / total, or 1 - good / total)` };
  const part = countedEvents(node.lhs, form, `numerator of the ${what}`);
  if ('reason' in part) return part;
  const total = countedEvents(node.rhs, form, `denominator of the ${what}`);
  if ('reason' in total) return total;
  if (complement) {
    const slow = latency(part, total);
    if (slow) return { sli: slow };
    return countable(part, what) ?? countable(total, what) ?? { sli: { kind: 'ratio', good: part, total } };
  }
  return countable(part, what) ?? countable(total, what) ?? { sli: { kind: 'ratio', errors: part, total } };
}

const comparisons: Record<string, GaugeBoundKind> = { '<': 'below', '<=': 'atMost', '>': 'above', '>=': 'atLeast' };
/** The bound a sample meets when it does not match `op` (what a bad-sample filter leaves good). */
const goodWhenNot: Record<string, GaugeBoundKind> = { '<': 'atLeast', '<=': 'above', '>': 'atMost', '>=': 'below' };
const flipped: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Samples of a gauge counted per evaluation: `sum_over_time(count(x)[w:])` or `sum(count_over_time(x[w:]))`. */
function countedSamples(node: PromqlNode): PromqlNode | { reason: string } | undefined {
  let subquery: PromqlNode | undefined;
  let counted: PromqlNode | undefined;
  if (node.type === 'call' && node.fn === 'sum_over_time' && node.args[0]?.type === 'subquery') {
    subquery = node.args[0];
    const inner = node.args[0].expr;
    if (inner.type === 'aggregate' && inner.op === 'count' && !inner.grouping) counted = inner.expr;
  } else if (node.type === 'aggregate' && node.op === 'sum' && !node.grouping) {
    const inner = node.expr;
    if (inner.type === 'call' && inner.fn === 'count_over_time' && inner.args[0]?.type === 'subquery') {
      subquery = inner.args[0];
      counted = inner.args[0].expr;
    }
  }
  if (subquery?.type === 'subquery' && subquery.step !== undefined)
    return { reason: `a subquery step of ${subquery.step}: monforge counts a gauge's samples at the evaluation interval` };
  return counted;
}

/** Sloth's gauge events (home-wifi): bad samples `g < x` among all samples of `g`. */
function gaugeEvents(bad: PromqlNode, total: PromqlNode, names: { bad: string; total: string }): Recognized | undefined {
  const badSamples = countedSamples(bad);
  const allSamples = countedSamples(total);
  if (badSamples && 'reason' in badSamples) return badSamples;
  if (allSamples && 'reason' in allSamples) return allSamples;
  if (!badSamples || !allSamples) return undefined;
  if (badSamples.type !== 'binary' || !(badSamples.op in comparisons) || badSamples.bool || badSamples.matching)
    return { reason: `the ${names.bad} counts samples without comparing them with a number` };
  const numberRight = badSamples.rhs.type === 'number';
  const filtered = numberRight ? badSamples.lhs : badSamples.rhs;
  const bound = numberRight ? badSamples.rhs : badSamples.lhs;
  if (bound.type !== 'number') return { reason: `the ${names.bad} compares a gauge with something other than a number` };
  const op = numberRight ? badSamples.op : flipped[badSamples.op]!;
  const gauge = selectorSpec(filtered, `gauge of the ${names.bad}`);
  if ('reason' in gauge) return gauge;
  const all = selectorSpec(allSamples, `gauge of the ${names.total}`);
  if ('reason' in all) return all;
  if (!sameSeries(gauge, all)) return { reason: `the ${names.bad} and the ${names.total} count samples of different series` };
  return { sli: { kind: 'gauge', gauge, good: { kind: goodWhenNot[op]!, value: bound.value } } };
}

/** `sum(sum_over_time(g[w])) / sum(count_over_time(g[w]))`: the mean of a gauge's samples. */
function gaugeMean(node: PromqlNode, form: QueryForm, what: string): Recognized | undefined {
  if (node.type !== 'binary' || node.op !== '/' || node.matching) return undefined;
  const over = (side: PromqlNode, fn: string): SelectorSpec | { reason: string } | undefined => {
    if (side.type !== 'aggregate' || side.op !== 'sum' || side.grouping) return undefined;
    const call = side.expr;
    if (call.type !== 'call' || call.fn !== fn || call.args[0]?.type !== 'selector' || call.args[0].range === undefined) return undefined;
    if (form === 'sloth' && call.args[0].range !== windowStandIn)
      return { reason: `the ${what} reads a fixed range [${call.args[0].range}] instead of [{{.window}}]` };
    return selectorSpec({ ...call.args[0], range: undefined }, what);
  };
  const sum = over(node.lhs, 'sum_over_time');
  const count = over(node.rhs, 'count_over_time');
  if (!sum || !count) return undefined;
  if ('reason' in sum) return sum;
  if ('reason' in count) return count;
  if (!sameSeries(sum, count)) return { reason: `the ${what} sums and counts samples of different series` };
  return { sli: { kind: 'gauge', gauge: sum, good: 'value' } };
}

/** A precomputed success ratio (OpenSLO `raw` with `rawType: success`) that is a plain gauge: every sample its own share of good. */
export function sliFromSuccessGauge(query: string, what = 'raw query'): Recognized | undefined {
  const tree = parse(query, 'rate', what);
  if ('reason' in tree || tree.node.type !== 'selector' || tree.node.range !== undefined) return undefined;
  const gauge = selectorSpec(tree.node, what);
  return 'reason' in gauge ? gauge : { sli: { kind: 'gauge', gauge, good: 'value' } };
}

/** OpenSLO's thresholdMetric: a gauge whose every sample is good when it compares so with `value`. */
export function sliFromThreshold(query: string, op: 'lt' | 'lte' | 'gt' | 'gte', value: number, what = 'threshold query'): Recognized {
  const tree = parse(query, 'rate', what);
  if ('reason' in tree) return tree;
  if (tree.node.type !== 'selector' || tree.node.range !== undefined)
    return { reason: `the ${what} is not a gauge selector: monforge's gauge SLOs count the samples of a gauge` };
  const gauge = selectorSpec(tree.node, what);
  if ('reason' in gauge) return gauge;
  const kind = comparisons[{ lt: '<', lte: '<=', gt: '>', gte: '>=' }[op]]!;
  return { sli: { kind: 'gauge', gauge, good: { kind, value } } };
}
