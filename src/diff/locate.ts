import { lineIndex, quoted } from '../reader/lines.ts';
import type { Change } from './types.ts';

/**
 * Points each change at the line of its definition file that names it: the first line with
 * its first anchor found in quotes (`'ApiErrorRateHigh'`, `"api-down"`). `texts` are the head's
 * definition files by path; a change whose file or name is not there keeps no line.
 */
export function locateLines(changes: readonly Change[], texts: ReadonlyMap<string, string>): Change[] {
  const lines = new Map<string, string[]>();
  return changes.map((change) => {
    if (!change.source || !change.anchors) return change;
    const text = texts.get(change.source);
    if (text === undefined) return change;
    let split = lines.get(change.source);
    if (!split) {
      split = text.split('\n');
      lines.set(change.source, split);
    }
    for (const anchor of change.anchors) {
      const index = lineIndex(split, quoted(anchor));
      if (index >= 0) return { ...change, line: index + 1 };
    }
    return change;
  });
}
