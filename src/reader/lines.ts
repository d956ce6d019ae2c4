// Finding the line of a definition in its file's text, for messages and CI annotations that
// point at what to edit. Definitions are code, not data: the line is found by the literals the
// object is written with (its name in quotes, a field's key, a value), not by parsing TypeScript.

/** Text to look for on one line: a literal or a pattern; a list means any of them. */
export type Anchor = string | RegExp | readonly (string | RegExp)[];

/** A name as TypeScript quotes it: `'api'`, `"api"` or `` `api` ``. */
export const quoted = (text: string): readonly string[] => [`'${text}'`, `"${text}"`, `\`${text}\``];

const hits = (line: string, anchor: Anchor): boolean =>
  (Array.isArray(anchor) ? anchor : [anchor]).some((each: string | RegExp) =>
    typeof each === 'string' ? line.includes(each) : each.test(line),
  );

/** 0-based index of the first line at or after `from` that holds the anchor, or -1. */
export function lineIndex(lines: readonly string[], anchor: Anchor, from = 0): number {
  for (let index = from; index < lines.length; index += 1) if (hits(lines[index]!, anchor)) return index;
  return -1;
}

/**
 * The 1-based line of the last of `anchors` found, each searched from the line of the one
 * before it (an alert's name, then its `window:`), else from the top (a selector declared
 * above the service); undefined when none is in the text.
 */
export function anchoredLine(lines: readonly string[], anchors: readonly Anchor[]): number | undefined {
  let at = -1;
  for (const anchor of anchors) {
    const next = lineIndex(lines, anchor, Math.max(at, 0));
    const found = next >= 0 ? next : lineIndex(lines, anchor);
    if (found >= 0) at = found;
  }
  return at >= 0 ? at + 1 : undefined;
}
