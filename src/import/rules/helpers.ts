import { builtInSeries } from '../../check/known-series.ts';
import { toNumber } from '../../model/decimal.ts';
import { type Duration, isDuration } from '../../model/duration.ts';
import { type Counter, counter, type Gauge, gauge, type MetricKind } from '../../model/metric.ts';
import type { RuleExpr, TypedExpr } from '../../model/rule-group.ts';
import type { Matcher, Selector } from '../../model/selector.ts';
import { splitThreshold } from '../../promql/comparisons.ts';
import { promqlFacts } from '../../promql/facts.ts';
import { canonicalPromql, parsePromql, type ParsedSelector } from '../../promql/parse.ts';
import { renderRuleExpr } from '../../promql/rule-expr.ts';
import type { MetricCatalog } from '../metrics.ts';
import { call, type Code, code, type Module, monforgeSpecifier } from '../typescript.ts';
import { selectCode } from './expr.ts';

// A typed helper where an expression is exactly one: `sum by (job) (rate(x[5m]))` is
// `rate(select(x), { by: ['job'] })`. Candidates are guessed from the expression's selectors,
// grouping and range; one is taken only when what it renders is the same query as the original
// (promql/parse.ts canonicalPromql), and only when the metrics are of the kind it takes.

type HelperName = 'rate' | 'ratio' | 'gaugePercent' | 'gaugeValue';

interface Candidate {
  readonly helper: HelperName;
  readonly selectors: readonly ParsedSelector[];
  readonly by: readonly string[];
  readonly window?: Duration;
  readonly aggregate?: 'max' | 'min' | 'avg' | 'sum';
}

interface Exact extends Candidate {
  readonly comparison?: { readonly op: '>' | '<'; readonly value: number };
}

const kinds: Readonly<Record<HelperName, MetricKind>> = { rate: 'counter', ratio: 'counter', gaugePercent: 'gauge', gaugeValue: 'gauge' };

const matchersOf = (parsed: ParsedSelector): Record<string, Matcher> =>
  Object.fromEntries(parsed.matchers.map((matcher): [string, Matcher] => [matcher.label, { op: matcher.op, value: matcher.value }]));
const counterOf = (parsed: ParsedSelector): Selector<Counter> => ({
  metric: counter({ name: parsed.name!, help: '' }),
  matchers: matchersOf(parsed),
});
const gaugeOf = (parsed: ParsedSelector): Selector<Gauge> => ({
  metric: gauge({ name: parsed.name!, help: '' }),
  matchers: matchersOf(parsed),
});

/** The model's expression for a candidate, with stand-in metrics (only names and kinds render). */
function asExpr(candidate: Candidate): TypedExpr {
  const [first, second] = candidate.selectors as [ParsedSelector, ParsedSelector];
  const grouped = { ...(candidate.by.length > 0 && { by: candidate.by }) };
  const windowed = { ...grouped, ...(candidate.window !== undefined && { window: candidate.window }) };
  switch (candidate.helper) {
    case 'rate':
      return { kind: 'rate', counter: counterOf(first), ...windowed };
    case 'ratio':
      return { kind: 'ratio', numerator: counterOf(first), denominator: counterOf(second), ...windowed };
    case 'gaugePercent':
      return { kind: 'gaugePercent', used: gaugeOf(first), capacity: gaugeOf(second), ...grouped };
    case 'gaugeValue':
      return { kind: 'gauge', gauge: gaugeOf(first), aggregate: candidate.aggregate!, ...grouped };
  }
}

/** The helper an expression is exactly, if one. */
export function exactHelper(expr: string): Exact | undefined {
  const threshold = splitThreshold(expr);
  const comparison =
    threshold && (threshold.op === '>' || threshold.op === '<')
      ? { op: threshold.op as '>' | '<', value: toNumber(threshold.value) }
      : undefined;
  const operand = comparison ? threshold!.operand : expr;
  const selectors = parsePromql(operand).selectors;
  if (
    selectors.length === 0 ||
    selectors.length > 2 ||
    selectors.some((selector) => !selector.name || selector.name !== operand.slice(selector.at, selector.at + selector.name.length)) ||
    // Series Prometheus makes itself (`up`) stay as written, never declared as metrics (expr.ts):
    // a declaration would pin their labels, which each scrape job sets.
    selectors.some((selector) => builtInSeries.includes(selector.name!))
  )
    return undefined;
  const labels = selectors.flatMap((selector) => selector.matchers.map((matcher) => matcher.label));
  if (labels.some((label) => label.startsWith('__'))) return undefined;
  const by = promqlFacts(operand).groupingLabels;
  const range = selectors[0]!.range?.duration;
  const window = range !== undefined && isDuration(range) && range !== '5m' ? range : undefined;
  const candidates: Candidate[] =
    selectors.length === 1
      ? [
          { helper: 'rate', selectors, by, ...(window !== undefined && { window }) },
          ...(['max', 'min', 'avg', 'sum'] as const).map((aggregate): Candidate => ({ helper: 'gaugeValue', selectors, by, aggregate })),
        ]
      : [
          { helper: 'ratio', selectors, by, ...(window !== undefined && { window }) },
          { helper: 'gaugePercent', selectors, by },
        ];
  const original = canonicalPromql(expr);
  for (const candidate of candidates) {
    const typed = asExpr(candidate);
    const rendered: RuleExpr = comparison ? { kind: 'comparison', expr: typed, ...comparison } : typed;
    if (canonicalPromql(renderRuleExpr(rendered)) === original) return { ...candidate, ...(comparison && { comparison }) };
  }
  return undefined;
}

/** The helper's call in a module, or undefined when a metric is not of the kind it takes (then the expression stays PromQL). */
export function helperCode(exact: Exact, module: Module, metrics: MetricCatalog): Code | undefined {
  if (exact.selectors.some((selector) => metrics.kindOf(selector.name!) !== kinds[exact.helper])) return undefined;
  const selects = exact.selectors.map((selector) => code(selectCode(module, metrics, selector)));
  const fn = module.use(monforgeSpecifier, exact.helper);
  const options = {
    ...(exact.aggregate !== undefined && exact.aggregate !== 'max' && { aggregate: exact.aggregate }),
    ...(exact.by.length > 0 && { by: exact.by }),
    ...(exact.window !== undefined && { window: exact.window }),
  };
  const typed = Object.keys(options).length > 0 ? call(fn, ...selects, options) : call(fn, ...selects);
  if (!exact.comparison) return typed;
  return call(module.use(monforgeSpecifier, exact.comparison.op === '>' ? 'above' : 'below'), typed, exact.comparison.value);
}
