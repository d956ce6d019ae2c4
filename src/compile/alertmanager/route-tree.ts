import { parseMatchers } from '../../model/matchers.ts';
import type { RouteTree, TreeInhibitRule, TreeRoute } from '../../model/route-tree.ts';
import { timePeriod } from './intervals.ts';
import type { InhibitRule, LabelMatcher, Receiver, Route, TimeInterval } from './types.ts';

// A route tree of the definitions (defineRouteTree) as Alertmanager configuration: the same
// routes, receivers, inhibit rules and time intervals, matchers structured for the evaluator.

function matchers(items: readonly string[] | undefined): LabelMatcher[] {
  // Load has checked that every item parses.
  return (items ?? []).flatMap((item) => parseMatchers(item) as LabelMatcher[]);
}

export function treeRoute(route: TreeRoute): Route {
  const own = matchers(route.matchers);
  return {
    receiver: route.receiver ?? '',
    ...(own.length > 0 && { matchers: own }),
    ...(route.continue && { continue: true }),
    ...(route.groupBy && { group_by: route.groupBy }),
    ...(route.groupWait && { group_wait: route.groupWait }),
    ...(route.groupInterval && { group_interval: route.groupInterval }),
    ...(route.repeatInterval && { repeat_interval: route.repeatInterval }),
    ...(route.muteTimeIntervals && { mute_time_intervals: route.muteTimeIntervals }),
    ...(route.activeTimeIntervals && { active_time_intervals: route.activeTimeIntervals }),
    ...(route.routes && route.routes.length > 0 && { routes: route.routes.map(treeRoute) }),
  };
}

export function treeReceivers(tree: RouteTree): Receiver[] {
  return Object.entries(tree.receivers).map(([name, integrations]) => ({ name, ...integrations }) as Receiver);
}

export function treeInhibitRules(tree: RouteTree): InhibitRule[] {
  return (tree.inhibitRules ?? []).map((rule: TreeInhibitRule) => ({
    source_matchers: matchers(rule.sourceMatchers),
    target_matchers: matchers(rule.targetMatchers),
    ...(rule.equal && { equal: rule.equal }),
  }));
}

export function treeTimeIntervals(tree: RouteTree): TimeInterval[] {
  return Object.entries(tree.timeIntervals ?? {}).map(([name, interval]) => ({
    name,
    time_intervals: interval.periods.map((period) => timePeriod(period, interval.timeZone)),
  }));
}
