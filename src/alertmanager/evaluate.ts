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

/** Rules whose target matchers select the alert: it is muted while a source alert with the same `equal` labels fires. */
export function inhibitingRules(rules: readonly InhibitRule[], labels: Labels): InhibitRule[] {
  return rules.filter((rule) => matchesAll(rule.target_matchers, labels));
}
