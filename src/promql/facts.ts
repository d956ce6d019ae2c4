import { parser } from '@prometheus-io/lezer-promql';
import { compoundSeconds } from '../model/duration.ts';

/** What an expression says besides its selectors: the labels it groups and matches on, its numbers, its longest look back. */
export interface PromqlFacts {
  /** Label names of `by`, `without`, `on`, `ignoring`, `group_left` and `group_right`, in order of appearance. */
  readonly groupingLabels: readonly string[];
  /** Number literals outside durations, as written values (`24*60*60` gives 24 and 60). */
  readonly numbers: readonly number[];
  /** Seconds the expression reads back at most: its ranges and offsets added along each path. */
  readonly lookback: number;
  /** Seconds of its shortest range (`[5m]`), if it has one. */
  readonly shortestRange: number | undefined;
}

export function promqlFacts(expr: string): PromqlFacts {
  const tree = parser.parse(expr);
  const groupingLabels: string[] = [];
  const numbers: number[] = [];
  let lookback = 0;
  let shortestRange: number | undefined;
  const cursor = tree.cursor();
  do {
    const text = expr.slice(cursor.from, cursor.to);
    if (cursor.name === 'LabelName' && cursor.node.parent?.name === 'GroupingLabels') groupingLabels.push(text);
    else if (cursor.name === 'NumberDurationLiteral') {
      const value = Number(text);
      if (Number.isFinite(value)) numbers.push(value);
    } else if (cursor.name === 'NumberDurationLiteralInDurationContext') {
      // Ranges, subquery ranges and offsets: their sum bounds how far back any path reads.
      const seconds = compoundSeconds(text) ?? 0;
      lookback += seconds;
      const parent = cursor.node.parent;
      const holder = parent?.name === 'DurationExpr' ? parent.parent : parent;
      if (holder?.name === 'MatrixSelector' || holder?.name === 'SubqueryExpr') shortestRange = Math.min(shortestRange ?? seconds, seconds);
    }
  } while (cursor.next());
  return { groupingLabels: [...new Set(groupingLabels)], numbers, lookback, shortestRange };
}
