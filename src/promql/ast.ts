import { parser } from '@prometheus-io/lezer-promql';
import { parsePromql, unquote, type LabelMatcher } from './parse.ts';

// PromQL as a small tree, for code that must recognise what an expression computes (the
// importers map `sum(rate(x[5m]))` to typed helpers). Parentheses are dropped: the tree keeps
// the grouping. Built on the lezer grammar of parse.ts, which reports syntax errors first.

export type PromqlNode =
  | { readonly type: 'number'; readonly value: number; readonly text: string }
  | { readonly type: 'string'; readonly value: string }
  | {
      readonly type: 'selector';
      /** The metric name, from `name{…}`, `{"name"}` or `{__name__="name"}`. */
      readonly name: string | undefined;
      /** Matchers in the braces, `__name__` left out when it gave the name. */
      readonly matchers: readonly LabelMatcher[];
      /** `x[5m]`: the range as written. */
      readonly range?: string;
      readonly offset?: string;
    }
  | { readonly type: 'call'; readonly fn: string; readonly args: readonly PromqlNode[] }
  | {
      readonly type: 'aggregate';
      readonly op: string;
      readonly grouping?: { readonly kind: 'by' | 'without'; readonly labels: readonly string[] };
      /** topk's k, quantile's φ, count_values' label. */
      readonly param?: PromqlNode;
      readonly expr: PromqlNode;
    }
  | {
      readonly type: 'binary';
      /** As written, lower-cased: `+`, `/`, `>`, `and`, `or`, … */
      readonly op: string;
      readonly bool: boolean;
      readonly matching?: {
        readonly kind: 'on' | 'ignoring';
        readonly labels: readonly string[];
        readonly group?: { readonly side: 'left' | 'right'; readonly labels: readonly string[] };
      };
      readonly lhs: PromqlNode;
      readonly rhs: PromqlNode;
    }
  | { readonly type: 'unary'; readonly op: '-' | '+'; readonly expr: PromqlNode }
  | { readonly type: 'subquery'; readonly expr: PromqlNode; readonly range: string; readonly step?: string; readonly offset?: string }
  /** `@` modifiers and anything else the tree does not model. */
  | { readonly type: 'unsupported'; readonly text: string };

type Node = ReturnType<typeof parser.parse>['topNode'];

/** The tree of a PromQL expression, or its first syntax error. */
export function promqlTree(expr: string): { tree: PromqlNode } | { error: string } {
  const parsed = parsePromql(expr);
  if (parsed.errors.length > 0) return { error: parsed.errors[0]!.message };
  const text = (node: Node): string => expr.slice(node.from, node.to);
  const children = (node: Node): Node[] => {
    const all: Node[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) all.push(child);
    return all;
  };
  const labels = (node: Node | null): string[] => (node ? children(node).map(text) : []);
  // Selectors in document order match parse.ts's, which unquotes their strings.
  const selectors = [...parsed.selectors];

  const build = (node: Node): PromqlNode => {
    switch (node.name) {
      case 'PromQL':
      case 'ParenExpr':
        return build(children(node).find(isExpression)!);
      case 'NumberDurationLiteral':
        return { type: 'number', value: Number(text(node)), text: text(node) };
      case 'StringLiteral': {
        const unquoted = unquote(text(node));
        return 'value' in unquoted ? { type: 'string', value: unquoted.value } : { type: 'unsupported', text: text(node) };
      }
      case 'VectorSelector':
        return selector(node);
      case 'MatrixSelector': {
        const inner = selector(node.firstChild!);
        return inner.type === 'selector' ? { ...inner, range: text(node.lastChild!) } : inner;
      }
      case 'OffsetExpr': {
        const inner = build(node.firstChild!);
        const offset = text(node.lastChild!);
        if (inner.type === 'selector' || inner.type === 'subquery') return { ...inner, offset };
        return { type: 'unsupported', text: text(node) };
      }
      case 'SubqueryExpr': {
        const [inner, ...durations] = children(node).filter((child) => child.name !== '[' && child.name !== ']' && child.name !== ':');
        const step = durations[1];
        return { type: 'subquery', expr: build(inner!), range: text(durations[0]!), ...(step && { step: text(step) }) };
      }
      case 'FunctionCall': {
        const body = node.getChild('FunctionCallBody')!;
        return { type: 'call', fn: text(node.firstChild!), args: children(body).filter(isExpression).map(build) };
      }
      case 'AggregateExpr': {
        const modifier = node.getChild('AggregateModifier');
        const args = children(node.getChild('FunctionCallBody')!).filter(isExpression).map(build);
        return {
          type: 'aggregate',
          op: text(node.firstChild!).toLowerCase(),
          ...(modifier && {
            grouping: { kind: modifier.getChild('By') ? 'by' : 'without', labels: labels(modifier.getChild('GroupingLabels')) },
          }),
          ...(args.length > 1 && { param: args[0] }),
          expr: args.at(-1)!,
        };
      }
      case 'BinaryExpr': {
        const [lhs, rhs] = children(node).filter(isExpression);
        const operator = children(node).find(
          (child) => !isExpression(child) && child.name !== 'BoolModifier' && child.name !== 'MatchingModifierClause',
        );
        const clause = node.getChild('MatchingModifierClause');
        let matching: Extract<PromqlNode, { type: 'binary' }>['matching'];
        if (clause) {
          const groups = clause.getChildren('GroupingLabels');
          const side = clause.getChild('GroupLeft') ? 'left' : clause.getChild('GroupRight') ? 'right' : undefined;
          matching = {
            kind: clause.getChild('On') ? 'on' : 'ignoring',
            labels: labels(groups[0] ?? null),
            ...(side && { group: { side, labels: labels(groups[1] ?? null) } }),
          };
        }
        return {
          type: 'binary',
          op: text(operator!).toLowerCase(),
          bool: node.getChild('BoolModifier') !== null,
          ...(matching && { matching }),
          lhs: build(lhs!),
          rhs: build(rhs!),
        };
      }
      case 'UnaryExpr':
        return { type: 'unary', op: text(node.firstChild!) as '-' | '+', expr: build(node.lastChild!) };
      default:
        return { type: 'unsupported', text: text(node) };
    }
  };

  const selector = (node: Node): PromqlNode => {
    const found = selectors.find((each) => each.at === node.from);
    if (!found) return { type: 'unsupported', text: text(node) };
    return {
      type: 'selector',
      name: found.name,
      // `{__name__="x"}` is `x`.
      matchers: found.matchers.filter((m) => !(m.label === '__name__' && m.op === '=' && m.value === found.name)),
    };
  };

  return { tree: build(parser.parse(expr).topNode) };
}

const expressionNodes = new Set([
  'ParenExpr',
  'NumberDurationLiteral',
  'StringLiteral',
  'VectorSelector',
  'MatrixSelector',
  'OffsetExpr',
  'SubqueryExpr',
  'FunctionCall',
  'AggregateExpr',
  'BinaryExpr',
  'UnaryExpr',
  'StepInvariantExpr',
]);

function isExpression(node: Node): boolean {
  return expressionNodes.has(node.name);
}
