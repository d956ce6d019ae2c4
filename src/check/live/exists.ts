import { matches } from '../../compile/alertmanager/matchers.ts';
import type { LabelMatcher } from '../../promql/parse.ts';
import { quoted, type Anchor } from '../../reader/lines.ts';
import type { PrometheusClient } from './client.ts';
import { declarationOrigin, fieldAnchor, selectionKey, selectorText } from './selections.ts';
import { acceptsEmpty, evaluable, type SeriesIndex, type Span } from './series.ts';
import * as live from '../../findings/catalog/live.ts';
import { byCloseness, closest } from '../../findings/suggest.ts';
import { pending, type Origin, type Pending, type Selection } from './types.ts';

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
  /** What generated/ records. */
  readonly recorded: ReadonlySet<string>;
}

const shown = 10;

const list = (values: readonly string[]): string =>
  values.length > shown ? `${values.slice(0, shown).join(', ')}, … (${values.length} in all)` : values.join(', ');

const matcherText = (matcher: LabelMatcher): string => `${matcher.label}${matcher.op}${JSON.stringify(matcher.value)}`;

const wordAnchor = (word: string): RegExp => new RegExp(`(?<![\\w:])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w:])`);

/** Where a matcher is written: `code: re('5..')` in a definition, `code=~"5.."` in PromQL text. */
function matcherAt(selection: Selection, matcher: LabelMatcher): Origin {
  const inText = selection.raw && !selection.selected;
  const anchor: Anchor = inText
    ? new RegExp(
        `${matcher.label}\\s*${matcher.op.replace(/[~!]/g, '\\$&')}\\s*\\\\?["'\`]${matcher.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      )
    : [fieldAnchor(matcher.label, matcher.value), ...quoted(matcher.value)];
  return { ...selection.origin, anchors: [...selection.origin.anchors, anchor], anywhere: !inText };
}

/** Whether `value` of `label` passes `matcher` (which this process can evaluate). */
const passes = (matcher: LabelMatcher, value: string): boolean => matches(matcher, { [matcher.label]: value });

/** The values among `values` the matcher passes; what only the server evaluates, it is asked. */
async function passing(
  lookups: Lookups,
  name: string,
  prefix: readonly LabelMatcher[],
  matcher: LabelMatcher,
  values: readonly string[],
  span: Span,
) {
  if (evaluable(matcher)) return values.filter((value) => passes(matcher, value));
  return lookups.client.labelValues(matcher.label, [selectorText(name, [...prefix, matcher])], span.start, span.end);
}

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

/** Edits a metric name may be off by and still be suggested: a missing `_total` or `_bytes` is 6. */
const nameEdits = (name: string): number => Math.max(3, Math.ceil(0.4 * name.length));

/** The one finding for a selection that selects nothing, or none when nothing is wrong (a value seen recently). */
async function whyEmpty(selection: Selection, lookups: Lookups, targetsFound: (service: string) => boolean): Promise<Pending | undefined> {
  const { name } = selection;
  // Marked in absent.exempt: missing series are a note, and the fix says why nothing is to be done.
  const exempt = selection.mayBeAbsent;
  const level = exempt === undefined ? ('error' as const) : ('note' as const);
  const fixOr = (fix: string): string =>
    exempt === undefined ? fix : `none while it is absent until its first event (absent.exempt: ${exempt})`;
  const names = await lookups.names();
  if (!names.has(name)) {
    const inText: Origin = { ...selection.origin, anchors: [...selection.origin.anchors, wordAnchor(name)] };
    if (name.includes(':')) {
      if (lookups.serverRecorded?.has(name)) return undefined;
      const near = closest(
        name,
        [...new Set([...names, ...lookups.recorded])].filter((each) => each.includes(':')),
        3,
        nameEdits(name),
      );
      return pending(
        live.missingRecording(name, near),
        'error',
        inText,
        near.length > 0
          ? `read ${near[0]}, or record ${name} with a recording rule`
          : `record ${name} with a recording rule, or read a series that exists`,
      );
    }
    // A declared histogram's `_count` with the metric itself present: the type check says what it is instead.
    if (selection.metric?.kind === 'histogram' && names.has(selection.metric.name)) return undefined;
    if (selection.generated)
      return pending(
        live.notScraped(name),
        'warning',
        selection.origin,
        `scrape what exports ${name} (generated/prometheus/scrape/ holds the jobs monforge generates)`,
      );
    const near = closest(name, names, 3, nameEdits(name));
    const typed = selection.metric !== undefined && (!selection.raw || selection.selected === true);
    return pending(
      live.unknownMetric(name, near),
      level,
      typed ? declarationOrigin(selection.metric!, 'name') : inText,
      fixOr(near.length > 0 ? `rename it to ${near[0]}` : 'name a metric the targets export'),
    );
  }
  const { matchers } = selection;
  for (let index = 0; index < matchers.length; index += 1) {
    const matcher = matchers[index]!;
    if (acceptsEmpty(matcher)) continue;
    const prefix = matchers.slice(0, index);
    const values = await valuesOf(lookups, name, prefix, matcher.label);
    if ((await passing(lookups, name, prefix, matcher, values, lookups.span)).length > 0) continue;
    const within = prefix.length > 0 ? ` within ${selectorText('', prefix)}` : '';
    if (index < selection.serviceMatchers) {
      const service = selection.service!;
      if (selection.targets) {
        return pending(
          live.noTarget(matcherText(matcher), within, matcher.label, list(byCloseness(matcher.value, values))),
          'error',
          matcherAt(selection, matcher),
          `select the service's targets by labels they have (selector: { ${matcher.label}: … })`,
        );
      }
      // The service's targets are missing altogether: said once, by its selector's own finding.
      if (!targetsFound(service.name)) return undefined;
      const exporters = await valuesOf(lookups, name, [], matcher.label);
      return pending(
        live.notOnTargets(
          name,
          service.name,
          selectorText('', matchers.slice(0, selection.serviceMatchers)),
          matcher.label,
          list(exporters),
        ),
        level,
        selection.origin,
        fixOr(`name a metric the service's targets export, or move this to the service that exports ${name}`),
      );
    }
    if (values.length === 0) {
      const labels = await labelNamesOf(lookups, name, prefix);
      return pending(
        live.missingLabel(name, within, matcher.label, list(labels)),
        'error',
        matcherAt(selection, matcher),
        `match one of its labels instead of ${matcher.label}, or drop the matcher`,
      );
    }
    // A labelled series appears at its first event: seen recently, it is absent for now, not misspelt.
    const seen = await valuesOf(lookups, name, prefix, matcher.label, lookups.history);
    const recent = await passing(lookups, name, prefix, matcher, seen, lookups.history);
    const ordered = byCloseness(matcher.value, values);
    return pending(
      live.labelValue(`${name}${within}`, matcherText(matcher), list(recent), list(ordered)),
      recent.length > 0 ? 'note' : level,
      matcherAt(selection, matcher),
      recent.length > 0
        ? 'none while it only appears at its first event'
        : fixOr(`match a value that exists, such as ${JSON.stringify(ordered[0])}`),
    );
  }
  return pending(
    live.labelValue(selectorText(name, matchers), undefined, '', ''),
    level,
    selection.origin,
    fixOr('select series that exist'),
  );
}

/** `by` labels no selected series has: the alert would fire once for all of them, not per value. */
function missingGroupLabels(selection: Selection, found: readonly Readonly<Record<string, string>>[]): Pending[] {
  const labels = [...new Set(found.flatMap((each) => Object.keys(each)))].filter((each) => each !== '__name__').sort();
  return (selection.by ?? [])
    .filter((label) => !found.some((each) => each[label] !== undefined))
    .map((label) =>
      pending(
        live.groupLabel(label, selection.name),
        'warning',
        { ...selection.origin, field: 'expr.by', anchors: [...selection.origin.anchors, /\bby\s*:/] },
        `group by a label the series have (${labels.join(', ')})`,
      ),
    );
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
