import type { MatchOp } from './selector.ts';

// Alertmanager's matcher syntax (`severity =~ "warning|info"`), read into label, operator and
// value: what route trees of the definitions are written in, and what the reader parses.

export interface ParsedMatcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

const matcherPattern = /^\s*([a-zA-Z_][a-zA-Z0-9_]*|"(?:[^"\\]|\\.)*")\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/**
 * The matchers of one `matchers` item as Alertmanager reads it: `a="b"`, unquoted `a=b`, or
 * several separated by commas, optionally in braces. The inverse of `renderMatcher`; a string
 * that is not a matcher gives the message for it.
 */
export function parseMatchers(text: string): ParsedMatcher[] | string {
  const inner = /^\s*\{(.*)\}\s*$/s.exec(text)?.[1] ?? text;
  const parsed: ParsedMatcher[] = [];
  for (const part of splitOutsideQuotes(inner)) {
    if (part.trim() === '') continue;
    const match = matcherPattern.exec(part);
    if (!match) return `${JSON.stringify(part.trim())} is not a matcher like label="value"`;
    parsed.push({ label: unquote(match[1]!), op: match[2] as MatchOp, value: unquote(match[3]!) });
  }
  return parsed.length > 0 ? parsed : `${JSON.stringify(text)} has no matcher`;
}

function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\' && quoted) index += 1;
    else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A double-quoted value with Alertmanager's escapes (`\\`, `\"`, `\n`), or an unquoted one as written. */
function unquote(text: string): string {
  if (!(text.length >= 2 && text.startsWith('"') && text.endsWith('"'))) return text;
  return text.slice(1, -1).replace(/\\(.)/gs, (_, char: string) => (char === 'n' ? '\n' : char));
}
