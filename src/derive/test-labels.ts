import { matcherOf, type MatcherValue, type Selector } from '../model/selector.ts';
import type { Service } from '../model/service.ts';

// Concrete label values for generated test series: a value each matcher accepts (or, for the
// "other" series of a ratio, one it rejects). Prometheus anchors regexes, so we do too.

// Compiled and searched once per pattern: test generation checks candidate values against the
// same few matchers thousands of times.
const anchoredCache = new Map<string, RegExp>();

function anchored(pattern: string): RegExp {
  let regex = anchoredCache.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^(?:${pattern})$`);
    anchoredCache.set(pattern, regex);
  }
  return regex;
}

/** The shortest string the common regex forms accept: first alternative, one of each class. */
function firstMatch(pattern: string): string {
  let out = '';
  let index = 0;
  const take = (): string => pattern[index++] ?? '';
  while (index < pattern.length) {
    const char = take();
    if (char === '|') break; // first alternative only
    if (char === '(') {
      let depth = 1;
      const start = index;
      while (index < pattern.length && depth > 0) {
        const inner = take();
        if (inner === '\\') take();
        else if (inner === '(') depth += 1;
        else if (inner === ')') depth -= 1;
      }
      out += firstMatch(pattern.slice(start, index - 1).replace(/^\?:/, ''));
    } else if (char === '[') {
      const negated = pattern[index] === '^';
      if (negated) index += 1;
      const first = take();
      while (index < pattern.length && take() !== ']');
      out += negated ? (first === 'x' ? 'y' : 'x') : first;
    } else if (char === '\\') {
      const escaped = take();
      out += ({ d: '0', w: 'a', s: ' ', D: 'a', W: '-', S: 'a' } as Record<string, string>)[escaped] ?? escaped;
    } else if (char === '.')
      out += '0'; // `5..` → 500, a plausible status code
    else if (char === '*' || char === '?') out = out.slice(0, -1);
    else if (char === '+') continue;
    else if (char === '{') while (index < pattern.length && take() !== '}');
    else if (char !== '^' && char !== '$') out += char;
  }
  return out;
}

const fallbackValues = ['5xx', '500', '200', 'ok', 'error', 'test', 'x', 'other', '0', ''];

/** Top-level alternatives of a regex: `hit|miss` → hit, miss. */
function alternatives(pattern: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '\\') index += 1;
    else if (char === '(' || char === '[') depth += 1;
    else if (char === ')' || char === ']') depth -= 1;
    else if (char === '|' && depth === 0) {
      parts.push(pattern.slice(start, index));
      start = index + 1;
    }
  }
  return [...parts, pattern.slice(start)];
}

const matchingCache = new Map<string, readonly string[]>();

/** Values the regex accepts, one per top-level alternative where possible. */
export function valuesMatching(pattern: string): readonly string[] {
  let values = matchingCache.get(pattern);
  if (values === undefined) {
    const regex = anchored(pattern);
    values = [...new Set([...alternatives(pattern).map(firstMatch), ...fallbackValues])].filter((candidate) => regex.test(candidate));
    matchingCache.set(pattern, values);
  }
  return values;
}

export function valueMatching(pattern: string): string | undefined {
  return valuesMatching(pattern)[0];
}

export function valueNotMatching(pattern: string): string | undefined {
  const regex = anchored(pattern);
  return ['200', 'ok', 'other', 'x', '0', 'none', ''].find((candidate) => !regex.test(candidate));
}

export type LabelSet = Record<string, string>;

/** Labels of a series the selector selects, on top of `base` (service target labels and `by` values). */
export function labelsFor(service: Pick<Service, 'selector'>, selector: Pick<Selector, 'matchers'>, base: LabelSet = {}): LabelSet {
  const labels: LabelSet = { ...base, ...service.selector };
  for (const [label, raw] of Object.entries(selector.matchers)) {
    const matcher = matcherOf(raw);
    const value =
      matcher.op === '='
        ? matcher.value
        : matcher.op === '!='
          ? matcher.value === 'other'
            ? 'another'
            : 'other'
          : matcher.op === '=~'
            ? valueMatching(matcher.value)
            : valueNotMatching(matcher.value);
    if (value === undefined) throw new Error(`cannot find a value for ${label}${matcher.op}"${matcher.value}" to build a test series`);
    labels[label] = value;
  }
  return labels;
}

/** Whether a series with these labels is selected (service labels included). */
export function selects(service: Pick<Service, 'selector'>, selector: Pick<Selector, 'matchers'>, labels: LabelSet): boolean {
  if (Object.entries(service.selector).some(([label, value]) => labels[label] !== value)) return false;
  return Object.entries(selector.matchers).every(([label, raw]) => {
    const matcher = matcherOf(raw);
    const value = labels[label] ?? '';
    if (matcher.op === '=') return value === matcher.value;
    if (matcher.op === '!=') return value !== matcher.value;
    const hit = anchored(matcher.value).test(value);
    return matcher.op === '=~' ? hit : !hit;
  });
}

/** Values a matcher accepts, then values it rejects: candidates for one label. */
function candidateValues(raw: MatcherValue): string[] {
  const matcher = matcherOf(raw);
  const accepted =
    matcher.op === '='
      ? [matcher.value]
      : matcher.op === '!='
        ? ['other', 'another']
        : matcher.op === '=~'
          ? valuesMatching(matcher.value)
          : [valueNotMatching(matcher.value)];
  const rejected =
    matcher.op === '='
      ? ['other', 'another']
      : matcher.op === '!='
        ? [matcher.value]
        : matcher.op === '=~'
          ? [valueNotMatching(matcher.value)]
          : valuesMatching(matcher.value);
  return [...accepted, ...rejected].filter((value): value is string => value !== undefined);
}

/**
 * Labels of a series that `keep` selects and `reject` does not, changing one label of
 * `accepted` at a time: the "other requests" series of an errors/total ratio.
 */
export function labelsRejectedBy(
  service: Pick<Service, 'selector'>,
  accepted: LabelSet,
  reject: Pick<Selector, 'matchers'>,
  keep: Pick<Selector, 'matchers'>,
): LabelSet | undefined {
  for (const label of Object.keys(reject.matchers)) {
    const kept = keep.matchers[label];
    // What `keep` accepts for this label, then whatever `reject` refuses.
    for (const value of [...(kept === undefined ? [] : candidateValues(kept)), ...candidateValues(reject.matchers[label]!).reverse()]) {
      const candidate = { ...accepted, [label]: value };
      if (!selects(service, reject, candidate) && selects(service, keep, candidate)) return candidate;
    }
  }
  return undefined;
}

/** `name{a="1",b="2"}` in promtool's series notation, labels sorted. */
export function seriesName(name: string, labels: LabelSet): string {
  const inner = Object.keys(labels)
    .sort()
    .map((label) => `${label}=${JSON.stringify(labels[label])}`)
    .join(',');
  return `${name}{${inner}}`;
}
