import { matchesAll } from '../compile/alertmanager/matchers.ts';
import type { InhibitRule, LabelMatcher, Route } from '../compile/alertmanager/types.ts';

type Labels = Readonly<Record<string, string>>;

/** A route an alert ends at, with the routes leading to it from the root. */
export interface RouteMatch {
  readonly route: Route;
  readonly path: readonly Route[];
}

/**
 * Alertmanager's routing (dispatch.Route.Match): depth first; a matching child stops the
 * search among its siblings unless it has `continue`; a route none of whose children match
 * is itself the match. Time intervals do not take part: they only hold notifications back.
 */
export function matchRoutes(root: Route, labels: Labels): RouteMatch[] {
  return matchFrom(root, labels, []) ?? [];
}

function matchFrom(route: Route, labels: Labels, above: readonly Route[]): RouteMatch[] | undefined {
  if (!matchesAll(route.matchers, labels)) return undefined;
  const path = [...above, route];
  const found: RouteMatch[] = [];
  for (const child of route.routes ?? []) {
    const matched = matchFrom(child, labels, path);
    if (!matched) continue;
    found.push(...matched);
    if (!child.continue) break;
  }
  return found.length > 0 ? found : [{ route, path }];
}

/** How a matched route notifies: what Alertmanager's dispatcher uses for the alert's group. */
export interface RouteOptions {
  readonly receiver: string;
  /** `['...']` groups by every label. */
  readonly groupBy: readonly string[];
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
}

/** Alertmanager's defaults for the root route (dispatch.DefaultRouteOpts). */
const rootDefaults = { groupBy: [] as readonly string[], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' };

/**
 * The effective options of a match (dispatch.NewRoute): receiver, grouping and timers are
 * inherited from the closest route on the path that sets them; time intervals are not
 * inherited, only the matched route's own count.
 */
export function routeOptions(match: RouteMatch): RouteOptions {
  let inherited = { receiver: '', ...rootDefaults };
  for (const route of match.path) {
    inherited = {
      receiver: route.receiver || inherited.receiver,
      groupBy: route.group_by ?? inherited.groupBy,
      groupWait: route.group_wait ?? inherited.groupWait,
      groupInterval: route.group_interval ?? inherited.groupInterval,
      repeatInterval: route.repeat_interval ?? inherited.repeatInterval,
    };
  }
  return {
    ...inherited,
    muteTimeIntervals: match.route.mute_time_intervals ?? [],
    activeTimeIntervals: match.route.active_time_intervals ?? [],
  };
}

/** Rules whose target matchers select the alert: it is muted while a source alert with the same `equal` labels fires. */
export function inhibitingRules(rules: readonly InhibitRule[], labels: Labels): InhibitRule[] {
  return rules.filter((rule) => matchesAll(rule.target_matchers, labels));
}

/** One alert that can mute another, and the rule through which it does. */
export interface Inhibitor {
  readonly rule: InhibitRule;
  readonly source: Labels;
}

/**
 * Which of `alerts` (label sets known before run time, such as the labels of alerting rules)
 * could mute a given alert: they match a rule's source matchers, the alert matches its target
 * matchers, and no `equal` label has two different known values (a label either side lacks
 * may still come from the expression at run time). An alert never mutes itself (Alertmanager
 * skips a source that is the target). Built once per configuration; each rule's sources are
 * indexed by their `equal` label values, so a query costs the size of its answer.
 */
export function inhibitorsOf(rules: readonly InhibitRule[], alerts: readonly Labels[]): (labels: Labels) => Inhibitor[] {
  // A platform has an inhibit rule per service with dependents: rules are looked up, not scanned.
  const bySource = new MatcherIndex(rules, (rule) => rule.source_matchers);
  const byTarget = new MatcherIndex(rules, (rule) => rule.target_matchers);
  const sources = new Map<InhibitRule, Labels[]>(rules.map((rule) => [rule, []]));
  for (const alert of alerts)
    for (const rule of bySource.candidates(alert)) if (matchesAll(rule.source_matchers, alert)) sources.get(rule)!.push(alert);
  const indexes = new Map(rules.map((rule) => [rule, new SourceIndex(sources.get(rule)!, rule.equal ?? [])]));
  return (labels) => {
    const found: Inhibitor[] = [];
    for (const rule of byTarget.candidates(labels)) {
      if (!matchesAll(rule.target_matchers, labels)) continue;
      for (const source of indexes.get(rule)!.candidates(labels))
        if (source !== labels && !sameLabels(source, labels)) found.push({ rule, source });
    }
    return found;
  };
}

const literal = /(?:[^\\.*+?^${}()|[\]]|\\.)*/.source;
const literalAlternation = new RegExp(`^${literal}(?:\\|${literal})*$`);

/** The only values a matcher accepts, when it is an equality or a regex of literal alternatives (`a|b`). */
function acceptedValues(matcher: LabelMatcher): string[] | undefined {
  if (matcher.op === '=') return [matcher.value];
  if (matcher.op !== '=~' || !literalAlternation.test(matcher.value)) return undefined;
  return matcher.value.split(/(?<!\\)\|/).map((value) => value.replace(/\\(.)/g, '$1'));
}

/**
 * Items (routes, rules) indexed on a matcher that accepts only listed values, so the items a
 * label set may match are found without testing every item. Candidates keep the items' order;
 * callers still test every matcher.
 */
class MatcherIndex<T> {
  private readonly byValue = new Map<string, Map<string, number[]>>();
  private readonly unindexed: number[] = [];

  constructor(
    private readonly items: readonly T[],
    matchersOf: (item: T) => readonly LabelMatcher[] | undefined,
  ) {
    items.forEach((item, position) => {
      const key = (matchersOf(item) ?? [])
        .map((matcher) => ({ label: matcher.label, values: acceptedValues(matcher) }))
        .find((each) => each.values);
      if (!key) {
        this.unindexed.push(position);
        return;
      }
      const values = this.byValue.get(key.label) ?? new Map<string, number[]>();
      this.byValue.set(key.label, values);
      for (const value of new Set(key.values)) values.set(value, [...(values.get(value) ?? []), position]);
    });
  }

  candidates(labels: Labels): T[] {
    const positions = [...this.unindexed];
    for (const [label, values] of this.byValue) positions.push(...(values.get(labels[label] ?? '') ?? []));
    return positions.sort((a, b) => a - b).map((position) => this.items[position]!);
  }
}

/**
 * A rule's sources grouped by which `equal` labels they carry, each group indexed on the
 * values of the labels a target carries too: a lookup returns exactly the compatible sources.
 */
class SourceIndex {
  private readonly groups = new Map<string, { labels: string[]; sources: Labels[]; byTargetLabels: Map<string, Map<string, Labels[]>> }>();

  constructor(sources: readonly Labels[], equal: readonly string[]) {
    for (const source of sources) {
      const labels = equal.filter((label) => source[label] !== undefined);
      const signature = labels.join('\0');
      const group = this.groups.get(signature);
      if (group) group.sources.push(source);
      else this.groups.set(signature, { labels, sources: [source], byTargetLabels: new Map() });
    }
  }

  candidates(target: Labels): Labels[] {
    const found: Labels[] = [];
    for (const group of this.groups.values()) {
      const shared = group.labels.filter((label) => target[label] !== undefined);
      const signature = shared.join('\0');
      let index = group.byTargetLabels.get(signature);
      if (!index) {
        index = new Map();
        for (const source of group.sources) {
          const key = valuesOf(source, shared);
          const same = index.get(key);
          if (same) same.push(source);
          else index.set(key, [source]);
        }
        group.byTargetLabels.set(signature, index);
      }
      found.push(...(index.get(valuesOf(target, shared)) ?? []));
    }
    return found;
  }
}

const valuesOf = (labels: Labels, names: readonly string[]): string => JSON.stringify(names.map((name) => labels[name]));

function sameLabels(a: Labels, b: Labels): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * Whether `target` is muted now by one of `firing` (the alerts firing at this moment, the
 * target possibly among them), as Alertmanager's inhibitor decides it (inhibit/inhibit.go,
 * Inhibitor.Mutes): a rule's target matchers select it and a firing source alert matches the
 * source matchers with every `equal` label the same (absent on both counts as the same). When the
 * target matches the source matchers too, sources that also match the target matchers do not count.
 */
export function inhibitedNow(rules: readonly InhibitRule[], target: Labels, firing: readonly Labels[]): boolean {
  return rules.some((rule) => {
    if (!matchesAll(rule.target_matchers, target)) return false;
    const twoSided = matchesAll(rule.source_matchers, target);
    return firing.some(
      (source) =>
        matchesAll(rule.source_matchers, source) &&
        (rule.equal ?? []).every((label) => (source[label] ?? '') === (target[label] ?? '')) &&
        !(twoSided && matchesAll(rule.target_matchers, source)),
    );
  });
}
