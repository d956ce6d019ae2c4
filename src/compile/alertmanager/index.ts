import type { AlertLabels } from '../../model/emitted.ts';
import type { Platform } from '../../model/platform.ts';
import type { FileSet } from '../../output/fileset.ts';
import { generatedHeader, toJson, toYaml } from '../../output/serialize.ts';
import { routeCases, type RouteTests } from './expectations.ts';
import { inhibitRules } from './inhibit.ts';
import { timeIntervals } from './intervals.ts';
import { renderMatcher } from './matchers.ts';
import { alertmanagerPath, routeTestsPath } from './names.ts';
import { receivers } from './receivers.ts';
import { treeInhibitRules, treeReceivers, treeTimeIntervals } from './route-tree.ts';
import { routeTree } from './routes.ts';
import type { AlertmanagerConfig, Global, InhibitRule, Route } from './types.ts';

/**
 * `alertmanager/alertmanager.yml` and the route tests amtool runs against it: one case per
 * alert the rules emit (`alerts`, from the Prometheus compiler via compile/index.ts).
 */
export function compileAlertmanager(platform: Platform, alerts: readonly AlertLabels[]): FileSet {
  const sources = alertmanagerSources(platform);
  const tests: RouteTests = { config: alertmanagerPath.split('/').pop()!, cases: routeCases(platform, alerts) };
  return new Map([
    [alertmanagerPath, toYaml(renderConfig(alertmanagerConfig(platform)), generatedHeader(sources))],
    [routeTestsPath, toJson(tests)],
  ]);
}

/** The definition files alertmanager.yml is compiled from (its header). */
export function alertmanagerSources(platform: Platform): string[] {
  return [
    platform.config,
    ...(platform.routing ? [platform.routing] : []),
    ...(platform.routeTree ? [platform.routeTree] : []),
    ...platform.teams,
    ...platform.services,
    ...platform.playbooks,
  ]
    .map((each) => each.source)
    .concat(platform.dataFiles ?? []);
}

/** The configuration with structured matchers: what `monforge routes` evaluates. */
export function alertmanagerConfig(platform: Platform): AlertmanagerConfig {
  const tree = platform.routeTree;
  const intervals = [...(timeIntervals(platform.routing) ?? []), ...(tree ? treeTimeIntervals(tree) : [])];
  return {
    global: { ...global(platform), ...tree?.global },
    route: routeTree(platform),
    inhibit_rules: [...inhibitRules(platform), ...(tree ? treeInhibitRules(tree) : [])],
    receivers: [...receivers(platform), ...(tree ? treeReceivers(tree) : [])].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    ),
    ...(intervals.length > 0 && { time_intervals: intervals }),
    ...(tree?.templates && { templates: tree.templates }),
  };
}

function global(platform: Platform): Global {
  const settings = platform.config.alertmanager;
  const smtp = settings?.smtp;
  return {
    resolve_timeout: settings?.resolveTimeout ?? '5m',
    ...(smtp && {
      smtp_from: smtp.from,
      smtp_smarthost: smtp.smarthost,
      ...(smtp.authUsername !== undefined && { smtp_auth_username: smtp.authUsername }),
      ...(smtp.authPasswordFile !== undefined && { smtp_auth_password_file: smtp.authPasswordFile }),
      ...(smtp.requireTls !== undefined && { smtp_require_tls: smtp.requireTls }),
    }),
  };
}

/** Matchers as Alertmanager reads them: one double-quoted matcher per list item. */
function renderConfig(config: AlertmanagerConfig): unknown {
  const renderRule = (rule: InhibitRule): unknown => ({
    ...rule,
    source_matchers: rule.source_matchers.map(renderMatcher),
    target_matchers: rule.target_matchers.map(renderMatcher),
  });
  return { ...config, route: renderRoute(config.route), inhibit_rules: config.inhibit_rules.map(renderRule) };
}

function renderRoute(route: Route): unknown {
  return {
    ...route,
    ...(route.matchers && { matchers: route.matchers.map(renderMatcher) }),
    ...(route.routes && { routes: route.routes.map(renderRoute) }),
  };
}
