import type { PlatformConfig } from '../model/config.ts';
import type { Sourced } from '../model/platform.ts';
import { platformReceivers, teamReceiver } from '../model/receiver-names.ts';
import type { RouteTree, TreeRoute } from '../model/route-tree.ts';
import type { Routing } from '../model/routing.ts';
import { severities } from '../model/severity.ts';
import type { Team } from '../model/team.ts';
import { parseMatchers } from '../model/matchers.ts';
import { unknownReceiver, unknownTimeInterval } from '../findings/catalog/references.ts';
import { invalidMatcher, nameTaken, rootRoute, setTwice } from '../findings/catalog/rules.ts';
import type { Said } from '../findings/kind.ts';
import { definitionError, type DefinitionError } from './errors.ts';

type Report = (error: DefinitionError) => void;

/**
 * A route tree's references: receivers and time intervals it names exist, matchers parse, the
 * root is a root (no matchers, no continue, no time intervals), its names do not take the
 * names of monforge's own receivers and intervals, and what `defineConfig({ alertmanager })`
 * sets is not set again in its global settings.
 */
export function checkRouteTree(
  tree: RouteTree & Sourced,
  context: { readonly config: PlatformConfig | undefined; readonly teams: readonly Team[]; readonly routing: Routing | undefined },
  report: Report,
): void {
  const fail = (path: readonly string[], said: Said): void => report(definitionError(tree.source, ['route tree', ...path], said));
  const receivers = new Set(Object.keys(tree.receivers));
  const ownReceivers = new Set<string>([
    ...Object.values(platformReceivers),
    ...context.teams.flatMap((team) => severities.map((severity) => teamReceiver(team.name, severity))),
  ]);
  for (const name of receivers)
    if (ownReceivers.has(name)) fail(['receivers', name], nameTaken('a receiver monforge makes for the teams', name));
  const ownIntervals = new Set([
    ...Object.keys(context.routing?.timeIntervals ?? {}),
    ...(context.routing?.events ?? []).map((event) => event.name),
  ]);
  const intervals = new Set([...Object.keys(tree.timeIntervals ?? {}), ...ownIntervals]);
  for (const name of Object.keys(tree.timeIntervals ?? {}))
    if (ownIntervals.has(name)) fail(['timeIntervals', name], nameTaken('a time interval or event of defineRouting', name));

  const matchers = (list: readonly string[] | undefined, path: readonly string[]): void =>
    (list ?? []).forEach((item, index) => {
      const parsed = parseMatchers(item);
      if (typeof parsed === 'string') fail([...path, `[${index}]`], invalidMatcher(parsed));
    });
  const visit = (route: TreeRoute, path: readonly string[]): void => {
    if (route.receiver !== undefined && !receivers.has(route.receiver))
      fail([...path, 'receiver'], unknownReceiver(route.receiver, receivers));
    matchers(route.matchers, [...path, 'matchers']);
    for (const key of ['muteTimeIntervals', 'activeTimeIntervals'] as const)
      for (const name of route[key] ?? []) if (!intervals.has(name)) fail([...path, key], unknownTimeInterval(name, intervals));
    route.routes?.forEach((child, index) => {
      visit(child, [...path, `routes[${index}]`]);
    });
  };
  const root = tree.route;
  visit(root, ['route']);
  if ((root.matchers ?? []).length > 0) fail(['route', 'matchers'], rootRoute('the root route matches every alert: it has no matchers'));
  if (root.continue) fail(['route', 'continue'], rootRoute('the root route has no siblings to continue to'));
  if (root.muteTimeIntervals || root.activeTimeIntervals) fail(['route'], rootRoute('the root route cannot have time intervals'));
  (tree.inhibitRules ?? []).forEach((rule, index) => {
    matchers(rule.sourceMatchers, [`inhibitRules[${index}]`, 'sourceMatchers']);
    matchers(rule.targetMatchers, [`inhibitRules[${index}]`, 'targetMatchers']);
  });
  (tree.tests ?? []).forEach((test, index) => {
    for (const name of test.receivers)
      if (!receivers.has(name) && !ownReceivers.has(name))
        fail([`tests[${index}]`, 'receivers'], unknownReceiver(name, [...receivers, ...ownReceivers]));
  });
  const settings = context.config?.alertmanager;
  const global = tree.global ?? {};
  if (settings?.resolveTimeout !== undefined && global.resolve_timeout !== undefined)
    fail(['global', 'resolve_timeout'], setTwice('resolve_timeout', 'resolveTimeout'));
  if (settings?.smtp && Object.keys(global).some((key) => key.startsWith('smtp_'))) fail(['global'], setTwice('the SMTP settings', 'smtp'));
}
