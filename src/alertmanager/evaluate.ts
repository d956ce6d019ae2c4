import { matchesAll } from '../compile/alertmanager/matchers.ts';
import type { InhibitRule, Route } from '../compile/alertmanager/types.ts';

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
  const indexed = rules.map((rule) => ({
    rule,
    index: new SourceIndex(
      alerts.filter((alert) => matchesAll(rule.source_matchers, alert)),
      rule.equal ?? [],
    ),
  }));
  return (labels) => {
    const found: Inhibitor[] = [];
    for (const { rule, index } of indexed) {
      if (!matchesAll(rule.target_matchers, labels)) continue;
      for (const source of index.candidates(labels)) if (source !== labels && !sameLabels(source, labels)) found.push({ rule, source });
    }
    return found;
  };
}

/** Sources grouped by the value of the first `equal` label (or lacking it), filtered on the rest when asked. */
class SourceIndex {
  private readonly byValue = new Map<string, Labels[]>();
  private readonly without: Labels[] = [];
  private readonly key: string | undefined;

  constructor(
    private readonly sources: readonly Labels[],
    private readonly equal: readonly string[],
  ) {
    this.key = equal[0];
    for (const source of sources) {
      const value = this.key === undefined ? undefined : source[this.key];
      if (value === undefined) this.without.push(source);
      else {
        const same = this.byValue.get(value);
        if (same) same.push(source);
        else this.byValue.set(value, [source]);
      }
    }
  }

  candidates(target: Labels): Labels[] {
    const value = this.key === undefined ? undefined : target[this.key];
    const pool = value === undefined ? this.sources : [...(this.byValue.get(value) ?? []), ...this.without];
    return pool.filter((source) =>
      this.equal.every((label) => source[label] === undefined || target[label] === undefined || source[label] === target[label]),
    );
  }
}

function sameLabels(a: Labels, b: Labels): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
