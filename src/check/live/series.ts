import { matches } from '../../compile/alertmanager/matchers.ts';
import type { LabelMatcher } from '../../promql/parse.ts';
import { chunksWithin, type Labels, type PrometheusClient } from './client.ts';
import { selectionKey, selectorText } from './selections.ts';
import type { Selection } from './types.ts';

// The series the selections select, fetched per metric name: one series call for many
// selectors at once (a typed selector is fetched by its service's selector alone, its own
// matchers applied here, so the same answer also tells what values exist when they match nothing).

/** Series Prometheus makes for alerts: present only while an alert is pending or firing. */
export const alertSeries: ReadonlySet<string> = new Set(['ALERTS', 'ALERTS_FOR_STATE']);

/** A span of time to ask the series and label APIs about: what exists now. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

interface Fetched {
  readonly matchers: readonly LabelMatcher[];
  readonly series: readonly Labels[];
}

const sameMatcher = (a: LabelMatcher, b: LabelMatcher): boolean => a.label === b.label && a.op === b.op && a.value === b.value;

/** The series fetched so far, by name; a selection is answered by any fetched selector whose matchers it includes. */
export class SeriesIndex {
  private readonly byName = new Map<string, Fetched[]>();
  private readonly byKey = new Map<string, Fetched>();

  add(name: string, matchers: readonly LabelMatcher[], series: readonly Labels[]): void {
    const fetched = { matchers, series };
    const list = this.byName.get(name) ?? [];
    list.push(fetched);
    this.byName.set(name, list);
    this.byKey.set(selectionKey(name, matchers), fetched);
  }

  private covering(name: string, wanted: readonly LabelMatcher[]): Fetched | undefined {
    // Typed selections put their service's selector first: one of their prefixes was fetched.
    for (let length = wanted.length; length >= 0; length -= 1) {
      const fetched = this.byKey.get(selectionKey(name, wanted.slice(0, length)));
      if (fetched && covers(fetched.matchers, wanted)) return fetched;
    }
    return this.byName.get(name)?.find((fetched) => covers(fetched.matchers, wanted));
  }

  /** The series of `name` the matchers select, when something fetched covers them. */
  select(name: string, wanted: readonly LabelMatcher[]): Labels[] | undefined {
    const fetched = this.covering(name, wanted);
    return fetched?.series.filter((labels) => matchesLocally(wanted, labels));
  }
}

/**
 * Whether the series `broader` selects hold those of `wanted`, this process applying the rest:
 * each of its matchers is in `wanted`, and each one `wanted` adds is one this process evaluates.
 */
function covers(broader: readonly LabelMatcher[], wanted: readonly LabelMatcher[]): boolean {
  const within = (list: readonly LabelMatcher[], matcher: LabelMatcher): boolean => list.some((each) => sameMatcher(matcher, each));
  return broader.every((matcher) => within(wanted, matcher)) && wanted.every((matcher) => within(broader, matcher) || evaluable(matcher));
}

/**
 * The selector a selection is fetched by: a typed one by its service's selector, the rest (and
 * one with a matcher only the server evaluates) as written.
 */
export const fetchMatchers = (selection: Selection): readonly LabelMatcher[] =>
  selection.serviceMatchers > 0 && selection.matchers.every(evaluable)
    ? selection.matchers.slice(0, selection.serviceMatchers)
    : selection.matchers;

/** Series per request: a body of a few hundred kilobytes at most, and answers the size limit allows. */
const selectorsPerCall = 20_000;

/**
 * Fetches, per metric name, the series of every selection that needs checking (not the alert
 * series, not what generated/ records and the server does not have yet). Selectors another one
 * fetched already covers are not asked again.
 */
export async function fetchSeries(
  client: PrometheusClient,
  selections: readonly Selection[],
  skip: (name: string) => boolean,
  span: Span,
): Promise<SeriesIndex> {
  const wanted = new Map<string, Map<string, readonly LabelMatcher[]>>();
  for (const selection of selections) {
    if (skip(selection.name)) continue;
    const byKey = wanted.get(selection.name) ?? new Map<string, readonly LabelMatcher[]>();
    wanted.set(selection.name, byKey);
    const matchers = fetchMatchers(selection);
    byKey.set(selectionKey(selection.name, matchers), matchers);
  }
  const index = new SeriesIndex();
  await Promise.all(
    [...wanted].map(async ([name, byKey]) => {
      // The broadest first, so narrower ones they cover are left out.
      const kept: (readonly LabelMatcher[])[] = [];
      for (const matchers of [...byKey.values()].sort((a, b) => a.length - b.length)) {
        if (!kept.some((broader) => covers(broader, matchers))) kept.push(matchers);
      }
      const texts = new Map(kept.map((matchers) => [selectorText(name, matchers), matchers]));
      // One answer holds the series of every selector asked; a selector with a matcher only the
      // server evaluates is asked alone, as its series cannot be told apart from the others' here.
      const alone = [...texts].filter(([, matchers]) => !matchers.every(evaluable)).map(([text]) => [text]);
      const together = [...texts].filter(([, matchers]) => matchers.every(evaluable)).map(([text]) => text);
      await Promise.all(
        [...chunksWithin(together, selectorsPerCall), ...alone].map(async (chunk) => {
          const series = await client.series(chunk, span.start, span.end);
          for (const text of chunk) {
            const matchers = texts.get(text)!;
            index.add(
              name,
              matchers,
              series.filter((labels) => labels.__name__ === name && matchesLocally(matchers, labels)),
            );
          }
        }),
      );
    }),
  );
  return index;
}

/**
 * Whether this process evaluates the matcher as the server does: RE2 syntax JavaScript lacks
 * (`(?i)…`) is left to the server, which is asked with the matcher itself.
 */
export function evaluable(matcher: LabelMatcher): boolean {
  if (matcher.op === '=' || matcher.op === '!=') return true;
  try {
    matches(matcher, {});
    return true;
  } catch {
    return false;
  }
}

/** The matchers this process can evaluate, all passed; the others were applied by the server that answered. */
export const matchesLocally = (matchers: readonly LabelMatcher[], labels: Labels): boolean =>
  matchers.every((matcher) => !evaluable(matcher) || matches(matcher, labels));

/** Whether a matcher selects series that lack its label (`code!="500"`, `code=~"5..|"`); unknown for what only the server evaluates. */
export const acceptsEmpty = (matcher: LabelMatcher): boolean => (evaluable(matcher) ? matches(matcher, {}) : matcher.op === '!~');
