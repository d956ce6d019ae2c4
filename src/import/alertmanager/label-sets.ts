import { matches, matchesAll } from '../../compile/alertmanager/matchers.ts';
import type { LabelMatcher, Route } from '../../compile/alertmanager/types.ts';
import { labelKey } from '../../diff/labels.ts';
import { valueMatching, valueNotMatching } from '../regex-sample.ts';

type Labels = Readonly<Record<string, string>>;

/** The values a matcher names outright: `=` its value, `=~` each literal alternative. */
function namedValues(matcher: LabelMatcher): string[] {
  if (matcher.op === '=') return [matcher.value];
  if (matcher.op === '=~' && /^[\w\- .:/]+(\|[\w\- .:/]+)*$/.test(matcher.value) && !matcher.value.includes('.'))
    return matcher.value.split('|');
  return [];
}

/** Labels that every matcher accepts, or undefined when none are found. */
function satisfying(matchers: readonly LabelMatcher[]): Labels | undefined {
  const labels: Record<string, string> = {};
  for (const label of new Set(matchers.map((matcher) => matcher.label))) {
    const own = matchers.filter((matcher) => matcher.label === label);
    const candidates = [
      '',
      ...own.flatMap((matcher) =>
        matcher.op === '=' ? [matcher.value] : matcher.op === '=~' ? [valueMatching(matcher.value)] : [valueNotMatching(matcher.value)],
      ),
      'value-1',
    ].filter((value): value is string => value !== undefined);
    const value = candidates.find((candidate) => own.every((matcher) => matches(matcher, { [label]: candidate })));
    if (value === undefined) return undefined;
    if (value !== '') labels[label] = value;
  }
  return matchesAll(matchers, labels) ? labels : undefined;
}

/** Every `severity` value the tree's matchers name. */
export function treeSeverities(route: Route): string[] {
  const found = new Set<string>();
  const walk = (node: Route): void => {
    for (const matcher of node.matchers ?? []) if (matcher.label === 'severity') for (const value of namedValues(matcher)) found.add(value);
    for (const child of node.routes ?? []) walk(child);
  };
  walk(route);
  return [...found];
}

/**
 * The label sets a routing tree implies: for each route, labels that pass every matcher on the
 * way to it (one that names no severity once bare and once with each of `severities`), and the
 * empty set (the root's own). In tree order, each once.
 */
export function impliedLabelSets(route: Route, severities: readonly string[]): Labels[] {
  const sets = new Map<string, Labels>();
  const add = (labels: Labels): void => void sets.set(labelKey(labels), labels);
  const walk = (node: Route, above: readonly LabelMatcher[]): void => {
    const path = [...above, ...(node.matchers ?? [])];
    const labels = satisfying(path);
    if (labels) {
      add(labels);
      if (labels.severity === undefined)
        for (const severity of severities) {
          const withSeverity = { ...labels, severity };
          if (matchesAll(path, withSeverity)) add(withSeverity);
        }
    }
    for (const child of node.routes ?? []) walk(child, path);
  };
  walk(route, []);
  return [...sets.values()];
}
