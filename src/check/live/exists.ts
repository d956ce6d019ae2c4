import { matches } from '../../compile/alertmanager/matchers.ts';
import type { LabelMatcher } from '../../promql/parse.ts';
import { quoted, type Anchor } from '../../reader/lines.ts';
import type { PrometheusClient } from './client.ts';
import { declarationOrigin, fieldAnchor, selectionKey, selectorText } from './selections.ts';
import { acceptsEmpty, type SeriesIndex, type Span } from './series.ts';
import { byCloseness, closest } from './similar.ts';
import type { Origin, Pending, Selection } from './types.ts';

// Series exist: every selection selects something now. When one selects nothing, the finding
// says why: the metric name is unknown (and which names are close), the service's selector
// matches no target, the targets do not export it, a label is missing, or a value matches no
// series (and which values exist). Selections written once and read by many rules are reported once.

/** What the existence check asks beyond the series already fetched. */
export interface Lookups {
  readonly client: PrometheusClient;
  readonly index: SeriesIndex;
  readonly span: Span;
  /** How far back a value counts as "seen": a labelled series absent now but seen then is not a mistake. */
  readonly history: Span;
  /** Metric names the server has now (asked once, when a selection finds nothing). */
  readonly names: () => Promise<ReadonlySet<string>>;
  /** What the server's own recording rules record; undefined when it does not say. */
  readonly serverRecorded: ReadonlySet<string> | undefined;
}

const shown = 10;

const list = (values: readonly string[]): string =>
  values.length > shown ? `${values.slice(0, shown).join(', ')}, … (${values.length} in all)` : values.join(', ');

const matcherText = (matcher: LabelMatcher): string => `${matcher.label}${matcher.op}${JSON.stringify(matcher.value)}`;

const wordAnchor = (word: string): RegExp => new RegExp(`(?<![\\w:])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w:])`);

/** Where a matcher is written: `code: re('5..')` in a definition, `code=~"5.."` in PromQL text. */
function matcherAt(selection: Selection, matcher: LabelMatcher): Origin {
  const anchor: Anchor = selection.raw
    ? new RegExp(
        `${matcher.label}\\s*${matcher.op.replace(/[~!]/g, '\\$&')}\\s*\\\\?["'\`]${matcher.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      )
    : [fieldAnchor(matcher.label, matcher.value), ...quoted(matcher.value)];
  return { ...selection.origin, anchors: [...selection.origin.anchors, anchor], anywhere: !selection.raw };
}

/** Whether `value` of `label` passes `matcher`. */
const passes = (matcher: LabelMatcher, value: string): boolean => matches(matcher, { [matcher.label]: value });

/** Values of `label` among the series `name{prefix}` selects: from what was fetched, else from the label-values API. */
async function valuesOf(lookups: Lookups, name: string, prefix: readonly LabelMatcher[], label: string, span = lookups.span) {
  const known = span === lookups.span ? lookups.index.select(name, prefix) : undefined;
  if (known) return [...new Set(known.flatMap((labels) => (labels[label] === undefined ? [] : [labels[label]!])))].sort();
  return lookups.client.labelValues(label, [selectorText(name, prefix)], span.start, span.end);
}

async function labelNamesOf(lookups: Lookups, name: string, prefix: readonly LabelMatcher[]): Promise<string[]> {
  const known = lookups.index.select(name, prefix);
  const names = known
    ? [...new Set(known.flatMap((labels) => Object.keys(labels)))].sort()
    : await lookups.client.labelNames([selectorText(name, prefix)], lookups.span.start, lookups.span.end);
  return names.filter((each) => each !== '__name__');
}

/** The one finding for a selection that selects nothing, or none when nothing is wrong (a value seen recently). */
async function whyEmpty(selection: Selection, lookups: Lookups, targetsFound: (service: string) => boolean): Promise<Pending | undefined> {
  const { name } = selection;
  const absentNote = selection.mayBeAbsent === undefined ? '' : ` It may be absent until its first event (${selection.mayBeAbsent}).`;
  const level = selection.mayBeAbsent === undefined ? ('error' as const) : ('note' as const);
  const names = await lookups.names();
  if (!names.has(name)) {
    if (name.includes(':')) {
      if (lookups.serverRecorded?.has(name)) return undefined;
      const near = closest(
        name,
        [...names].filter((each) => each.includes(':')),
      );
      return {
        check: 'recording/missing',
        level: 'error',
        at: { ...selection.origin, anchors: [...selection.origin.anchors, wordAnchor(name)] },
        message: `reads the recorded series ${name}, which neither generated/ nor the server records${near.length > 0 ? ` (the server records ${near.join(', ')})` : ''}`,
        fix:
          near.length > 0
            ? `read ${near[0]}, or record ${name} with a recording rule`
            : `record ${name} with a recording rule, or read a series that exists`,
      };
    }
    // A declared histogram's `_count` with the metric itself present: the type check says what it is instead.
    if (selection.metric?.kind === 'histogram' && names.has(selection.metric.name)) return undefined;
    if (selection.generated) {
      return {
        check: 'series/unknown-metric',
        level: 'warning',
        at: selection.origin,
        message: `reads ${name}, which the server has no series of: what exports it is not scraped yet`,
        fix: `scrape what exports ${name} (generated/prometheus/scrape/ holds the jobs monforge generates)`,
      };
    }
    const near = closest(name, names);
    const typed = selection.metric !== undefined && !selection.raw;
    return {
      check: 'series/unknown-metric',
      level,
      at: typed
        ? declarationOrigin(selection.metric!, 'name')
        : { ...selection.origin, anchors: [...selection.origin.anchors, wordAnchor(name)] },
      message: `the server has no series named ${name}${near.length > 0 ? `; closest names it has: ${near.join(', ')}` : ''}.${absentNote}`,
      fix: near.length > 0 ? `rename it to ${near[0]}` : 'name a metric the targets export',
    };
  }
  const { matchers } = selection;
  for (let index = 0; index < matchers.length; index += 1) {
    const matcher = matchers[index]!;
    if (acceptsEmpty(matcher)) continue;
    const prefix = matchers.slice(0, index);
    const values = await valuesOf(lookups, name, prefix, matcher.label);
    if (values.some((value) => passes(matcher, value))) continue;
    const within = prefix.length > 0 ? ` within ${selectorText('', prefix)}` : '';
    if (index < selection.serviceMatchers) {
      const service = selection.service!;
      if (selection.targets) {
        return {
          check: 'series/no-target',
          level: 'error',
          at: matcherAt(selection, matcher),
          message: `no target has ${matcherText(matcher)}${within}: the service's selector matches nothing${values.length > 0 ? `; ${matcher.label} values of targets: ${list(byCloseness(matcher.value, values))}` : ''}`,
          fix: `select the service's targets by labels they have (selector: { ${matcher.label}: … })`,
        };
      }
      // The service's targets are missing altogether: said once, by its selector's own finding.
      if (!targetsFound(service.name)) return undefined;
      const exporters = await valuesOf(lookups, name, [], matcher.label);
      return {
        check: 'series/not-on-targets',
        level,
        at: selection.origin,
        message: `${name} exists, but not on the targets of service "${service.name}" (${selectorText('', matchers.slice(0, selection.serviceMatchers))})${exporters.length > 0 ? `; ${matcher.label} values of the series that have it: ${list(exporters)}` : ''}.${absentNote}`,
        fix: `name a metric the service's targets export, or move this to the service that exports ${name}`,
      };
    }
    if (values.length === 0) {
      const labels = await labelNamesOf(lookups, name, prefix);
      return {
        check: 'series/missing-label',
        level: 'error',
        at: matcherAt(selection, matcher),
        message: `no series of ${name}${within} has a label ${matcher.label}; its labels: ${list(labels)}`,
        fix: `match one of its labels instead of ${matcher.label}, or drop the matcher`,
      };
    }
    // A labelled series appears at its first event: seen recently, it is absent for now, not misspelt.
    const seen = await valuesOf(lookups, name, prefix, matcher.label, lookups.history);
    const recent = seen.filter((value) => passes(matcher, value));
    const ordered = byCloseness(matcher.value, values);
    return {
      check: 'series/label-value',
      level: recent.length > 0 ? 'note' : level,
      at: matcherAt(selection, matcher),
      message: `no series of ${name}${within} has ${matcherText(matcher)} now${recent.length > 0 ? ` (seen recently: ${list(recent)})` : ''}; values that exist: ${list(ordered)}.${absentNote}`,
      fix:
        recent.length > 0 || selection.mayBeAbsent !== undefined
          ? 'none while it only appears at its first event'
          : `match a value that exists, such as ${JSON.stringify(ordered[0])}`,
    };
  }
  return {
    check: 'series/label-value',
    level,
    at: selection.origin,
    message: `${selectorText(name, matchers)} matches no series now.${absentNote}`,
    fix: 'select series that exist',
  };
}

/** `by` labels no selected series has: the alert would fire once for all of them, not per value. */
function missingGroupLabels(selection: Selection, found: readonly Readonly<Record<string, string>>[]): Pending[] {
  return (selection.by ?? [])
    .filter((label) => !found.some((labels) => labels[label] !== undefined))
    .map((label) => ({
      check: 'series/group-label' as const,
      level: 'warning' as const,
      at: { ...selection.origin, field: 'expr.by', anchors: [...selection.origin.anchors, /\bby\s*:/] },
      message: `groups by ${label}, which no series of ${selection.name} has: every series falls in one group`,
      fix: `group by a label the series have (${[...new Set(found.flatMap((labels) => Object.keys(labels)))]
        .filter((each) => each !== '__name__')
        .sort()
        .join(', ')})`,
    }));
}

/**
 * The existence findings of every selection written in the definitions or generated, each
 * selector once (the first place that writes it); `skip` names are not checked.
 */
export async function existenceFindings(
  selections: readonly Selection[],
  lookups: Lookups,
  skip: (name: string) => boolean,
): Promise<Pending[]> {
  const seen = new Set<string>();
  const unique = selections.filter((selection) => {
    if (skip(selection.name)) return false;
    const key = selectionKey(selection.name, selection.matchers);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const targetsFound = new Map<string, boolean>();
  for (const selection of unique.filter((each) => each.targets)) {
    targetsFound.set(selection.service!.name, (lookups.index.select(selection.name, selection.matchers)?.length ?? 0) > 0);
  }
  const findings = await Promise.all(
    unique.map(async (selection): Promise<Pending[]> => {
      const found = lookups.index.select(selection.name, selection.matchers) ?? [];
      if (found.length > 0) return missingGroupLabels(selection, found);
      const why = await whyEmpty(selection, lookups, (service) => targetsFound.get(service) ?? true);
      return why ? [why] : [];
    }),
  );
  return findings.flat();
}
