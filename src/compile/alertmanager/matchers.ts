import type { LabelMatcher } from './types.ts';

export const equals = (label: string, value: string): LabelMatcher => ({ label, op: '=', value });
export const notEquals = (label: string, value: string): LabelMatcher => ({ label, op: '!=', value });

/** `label="a"` for one value, `label=~"a|b"` for several (regex-escaped). */
export function oneOf(label: string, values: readonly string[]): LabelMatcher {
  const sorted = [...new Set(values)].sort();
  if (sorted.length === 1) return equals(label, sorted[0]!);
  return { label, op: '=~', value: sorted.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') };
}

/**
 * `label="value"`: Alertmanager's matcher syntax, always double-quoted. Its parser knows
 * only the escapes `\\`, `\"` and `\n` (JSON's `\u…` would stay literal).
 */
export function renderMatcher(matcher: LabelMatcher): string {
  const value = matcher.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `${matcher.label}${matcher.op}"${value}"`;
}

/** `diff` evaluates thousands of label sets against the same few regexes: each is compiled once. */
const anchored = new Map<string, RegExp>();

function anchoredRegex(pattern: string): RegExp {
  let regex = anchored.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^(?:${pattern})$`);
    anchored.set(pattern, regex);
  }
  return regex;
}

const matcherPattern = /^\s*([a-zA-Z_][a-zA-Z0-9_]*|"(?:[^"\\]|\\.)*")\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/**
 * The matchers of one `matchers` item as Alertmanager reads it: `a="b"`, unquoted `a=b`, or
 * several separated by commas, optionally in braces. The inverse of `renderMatcher`; a string
 * that is not a matcher gives the message for it.
 */
export function parseMatchers(text: string): LabelMatcher[] | string {
  const inner = /^\s*\{(.*)\}\s*$/s.exec(text)?.[1] ?? text;
  const parsed: LabelMatcher[] = [];
  for (const part of splitOutsideQuotes(inner)) {
    if (part.trim() === '') continue;
    const match = matcherPattern.exec(part);
    if (!match) return `${JSON.stringify(part.trim())} is not a matcher like label="value"`;
    parsed.push({ label: unquote(match[1]!), op: match[2] as LabelMatcher['op'], value: unquote(match[3]!) });
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

/** Alertmanager's semantics: a missing label is the empty string; regexes are fully anchored. */
export function matches(matcher: LabelMatcher, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[matcher.label] ?? '';
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return anchoredRegex(matcher.value).test(value);
    case '!~':
      return !anchoredRegex(matcher.value).test(value);
  }
}

export const matchesAll = (matchers: readonly LabelMatcher[] | undefined, labels: Readonly<Record<string, string>>): boolean =>
  (matchers ?? []).every((matcher) => matches(matcher, labels));
