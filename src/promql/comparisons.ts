import { parser } from '@prometheus-io/lezer-promql';
import { add, div, mul, rational, sub, type Rational } from '../model/decimal.ts';

// Reading numbers back out of generated expressions: the threshold of `<expr> > 0.5`, the
// burn-rate conditions of `slo:sli_error:ratio_rate1h{…} > 0.0144 and …`. Numbers are exact
// (`0.0144`, the quotient `(7 / 7500)`), so a changed threshold never shows float noise.

type Node = ReturnType<typeof parser.parse>['topNode'];

const comparisonOps = new Set(['Gtr', 'Lss', 'Gte', 'Lte', 'Eql', 'Neq']);

/** `<operand> <op> <number>` at the top of an expression. */
export interface Threshold {
  readonly operand: string;
  readonly op: string;
  readonly value: Rational;
}

/** Alert levels repeat one expression with another number: each is parsed once. */
const thresholds = new Map<string, Threshold | undefined>();

/** The top-level comparison with a constant, or undefined when the expression is not one. */
export function splitThreshold(expr: string): Threshold | undefined {
  if (thresholds.has(expr)) return thresholds.get(expr);
  const found = parseThreshold(expr);
  if (thresholds.size > 100_000) thresholds.clear();
  thresholds.set(expr, found);
  return found;
}

function parseThreshold(expr: string): Threshold | undefined {
  const top = parser.parse(expr).topNode.firstChild;
  if (top?.name !== 'BinaryExpr') return undefined;
  const found = comparisonWithNumber(top, expr);
  return found && { operand: expr.slice(top.firstChild!.from, top.firstChild!.to), op: found.op, value: found.value };
}

/** One comparison of a selector with a constant, anywhere in an expression. */
export interface SelectorComparison {
  /** The metric name of the selector on the left. */
  readonly name: string;
  readonly op: string;
  readonly value: Rational;
}

/** Every `name{…} <op> <number>` in the expression, in order. */
export function selectorComparisons(expr: string): SelectorComparison[] {
  const found: SelectorComparison[] = [];
  const walk = (node: Node): void => {
    if (node.name === 'BinaryExpr') {
      const comparison = comparisonWithNumber(node, expr);
      const left = node.firstChild!;
      if (comparison && left.name === 'VectorSelector') {
        const name = left.getChild('Identifier');
        if (name) found.push({ name: expr.slice(name.from, name.to), ...comparison });
        return;
      }
    }
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child);
  };
  walk(parser.parse(expr).topNode);
  return found;
}

function comparisonWithNumber(node: Node, expr: string): { op: string; value: Rational } | undefined {
  const op = node.firstChild?.nextSibling;
  const right = node.lastChild;
  if (!op || !right || !comparisonOps.has(op.name)) return undefined;
  const value = constant(right, expr);
  return value && { op: expr.slice(op.from, op.to), value };
}

/** A constant expression's exact value: a number, `(7 / 7500)`, sums and products of them. */
function constant(node: Node, expr: string): Rational | undefined {
  const text = expr.slice(node.from, node.to);
  switch (node.name) {
    case 'NumberDurationLiteral': {
      if (/^-?\d+(\.\d+)?$/.test(text)) return rational(text);
      const value = Number(text);
      return Number.isFinite(value) ? rational(value) : undefined;
    }
    case 'ParenExpr':
      return node.firstChild ? constant(node.firstChild, expr) : undefined;
    case 'BinaryExpr': {
      const left = node.firstChild && constant(node.firstChild, expr);
      const right = node.lastChild && constant(node.lastChild, expr);
      const operator = node.firstChild?.nextSibling?.name;
      if (!left || !right) return undefined;
      if (operator === 'Div') return right.num === 0n ? undefined : div(left, right);
      if (operator === 'Mul') return mul(left, right);
      if (operator === 'Add') return add(left, right);
      if (operator === 'Sub') return sub(left, right);
      return undefined;
    }
    default:
      return undefined;
  }
}
