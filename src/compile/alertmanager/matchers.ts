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

export { parseMatchers } from '../../model/matchers.ts';

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
