import { parsePromql } from './parse.ts';

/** The functions that turn a counter into a rate; on dashboards their range must be `$__rate_interval`. */
export const counterFunctions: readonly string[] = ['rate', 'irate', 'increase'];

export interface CounterRange {
  /** The function reading the range: rate, irate or increase. */
  readonly fn: string;
  /** The metric the range selects, when the selector names one. */
  readonly metric: string | undefined;
  /** Offsets of the text between `[` and `]`. */
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** Every `[…]` range read by rate, irate or increase, in order; none when the expression does not parse. */
export function counterRanges(expr: string): CounterRange[] {
  const { errors, selectors } = parsePromql(expr);
  if (errors.length > 0) return [];
  return selectors.flatMap((selector) => {
    if (!selector.inRange || !counterFunctions.includes(selector.function ?? '')) return [];
    const open = rangeOpening(expr, selector.at);
    const close = expr.indexOf(']', open);
    if (open < 0 || close < 0) return [];
    return [{ fn: selector.function!, metric: selector.name, from: open + 1, to: close, text: expr.slice(open + 1, close).trim() }];
  });
}

/** Rewrites every counter range to `range`: `rate(x[5m])` → `rate(x[$__rate_interval])`. */
export function withCounterRange(expr: string, range: string): string {
  let out = expr;
  for (const span of counterRanges(expr).reverse()) out = `${out.slice(0, span.from)}${range}${out.slice(span.to)}`;
  return out;
}

/** Offset of the `[` after the selector starting at `at` (`name{…}[`), or -1. */
function rangeOpening(expr: string, at: number): number {
  let index = at;
  while (index < expr.length && /[A-Za-z0-9_:]/.test(expr[index]!)) index += 1;
  index = skipSpace(expr, index);
  if (expr[index] === '{') index = skipSpace(expr, pastBraces(expr, index));
  return expr[index] === '[' ? index : -1;
}

const skipSpace = (expr: string, index: number): number => {
  while (index < expr.length && /\s/.test(expr[index]!)) index += 1;
  return index;
};

/** Offset just past the `}` closing the `{` at `open`, skipping quoted label values. */
function pastBraces(expr: string, open: number): number {
  for (let index = open + 1; index < expr.length; index += 1) {
    const char = expr[index]!;
    if (char === '}') return index + 1;
    if (char === '"' || char === "'" || char === '`') {
      for (index += 1; index < expr.length && expr[index] !== char; index += 1) if (char !== '`' && expr[index] === '\\') index += 1;
    }
  }
  return expr.length;
}
