import path from 'node:path';
import type { z } from 'zod';
import { policyAlerts, withPolicyAlerts } from '../derive/policy-alerts/index.ts';
import type { PlatformConfig } from '../model/config.ts';
import type { DashboardDefinition } from '../model/dashboard.ts';
import type { Playbook } from '../model/playbook.ts';
import type { Routing } from '../model/routing.ts';
import type { Metric } from '../model/metric.ts';
import type { Platform, Sourced } from '../model/platform.ts';
import type { Policy } from '../model/policy.ts';
import type { ResourceCatalog } from '../model/resources.ts';
import type { RouteTree } from '../model/route-tree.ts';
import { exprSelectors, type RuleGroup } from '../model/rule-group.ts';
import type { Service } from '../model/service.ts';
import type { Severities } from '../model/severity.ts';
import type { Team } from '../model/team.ts';
import type { EventWindow } from '../model/time-interval.ts';
import { serviceSelectors } from '../model/walk.ts';
import { buildDashboards } from './checks-dashboard.ts';
import { checkReferences, checkUnique } from './checks-references.ts';
import { checkReservedNames } from './checks-reserved.ts';
import { checkRouting, type EventSource } from './checks-routing.ts';
import { checkPlaybooks } from './checks-playbook.ts';
import { checkRouteTree } from './checks-route-tree.ts';
import { checkRuleGroups } from './checks-rules.ts';
import { checkPolicyAlerts, checkPolicyConflicts, checkResourceCatalog, checkServiceCoverage } from './checks-policy.ts';
import { checkScrapeJobs } from './checks-scrape.ts';
import { checkService } from './checks-service.ts';
import { checkTestable } from './checks-testable.ts';
import { collectExports, definitionFiles, eventsFileName, readDataFile, type Exported, type Failure } from './collect.ts';
import { definitionError, DefinitionErrors, type DefinitionError } from './errors.ts';
import { schemaProblem, type SchemaProblem } from './schema-issues.ts';
import { noConfig, noDefinitions, secondSingleton } from '../findings/catalog/definitions.ts';
import { bucketsNotAscending, conflictingMetric, counterWithoutTotal } from '../findings/catalog/metrics.ts';
import { configSchema, playbookSchema, serviceSchema, teamSchema } from './schema.ts';
import { dashboardSchema } from './schema-dashboard.ts';
import { policySchema, resourcesSchema } from './schema-policy.ts';
import { eventSchema, eventsFileSchema, routingSchema } from './schema-routing.ts';
import { routeTreeSchema } from './schema-route-tree.ts';
import { ruleGroupSchema, severitiesSchema } from './schema-rules.ts';
import { LoadMemo } from './memo.ts';
import { namedPath } from './zod-path.ts';

const schemas: Record<string, z.ZodType> = {
  service: serviceSchema,
  team: teamSchema,
  config: configSchema,
  playbook: playbookSchema,
  routing: routingSchema,
  policy: policySchema,
  resources: resourcesSchema,
  ruleGroup: ruleGroupSchema,
  severities: severitiesSchema,
  routeTree: routeTreeSchema,
  dashboard: dashboardSchema,
};

/** Loads `definitions/` under `root` into a Platform, or throws DefinitionErrors with every problem. */
export async function loadPlatform(root: string, dir = 'definitions'): Promise<Platform> {
  const files = await definitionFiles(root, dir);
  return assemblePlatform(root, dir, files, await collectExports(root, files));
}

/** The Platform of imported definitions files (and the data files beside them), or DefinitionErrors with every problem. */
export async function assemblePlatform(
  root: string,
  dir: string,
  files: readonly string[],
  { exported, failures }: { exported: readonly Exported[]; failures: readonly Failure[] },
  memo?: LoadMemo,
): Promise<Platform> {
  const errors: DefinitionError[] = failures.map((failure) => definitionError(failure.source, [], failure.said));
  if (files.length === 0) {
    errors.push(definitionError(dir, [], noDefinitions(path.join(root, dir))));
  }
  const events = await readDataFile(root, dir, eventsFileName);
  if (events && 'said' in events) errors.push(definitionError(events.source, [], events.said));
  const data = events && 'value' in events ? { events } : {};
  // A file that failed to import may hold the config, and with no files that is the one error: no "no config" error.
  const platform = buildPlatform(exported, (error) => errors.push(error), dir, failures.length === 0 && files.length > 0, data, memo);
  if (errors.length > 0 || !platform) throw new DefinitionErrors(errors);
  return platform;
}

/** The data files of the definitions, parsed but not yet validated. */
export interface DataFiles {
  /** `definitions/events.json` (eventsFileSchema). */
  readonly events?: { readonly source: string; readonly value: unknown };
}

/**
 * Validates collected exports and data files; pure, so tests can feed it objects directly.
 * `memo` keeps, across the loads of a session, what was worked out for objects loaded again
 * unchanged (memo.ts).
 */
export function buildPlatform(
  exported: readonly Exported[],
  report: (error: DefinitionError) => void,
  dir = 'definitions',
  complete = true,
  data: DataFiles = {},
  memo = new LoadMemo(),
): Platform | undefined {
  const valid = exported.filter((item) => validShape(item, report, memo));
  const ofKind = <T>(kind: string): (T & Sourced)[] =>
    valid
      .filter((item) => (item.value as { kind: string }).kind === kind)
      .map((item) => memo.remember('sourced', item.value as object, [item.source], () => ({ ...(item.value as T), source: item.source })));
  const teams = ofKind<Team>('team');
  const defined = ofKind<Service>('service');
  const policies = ofKind<Policy>('policy');
  const catalogs = ofKind<ResourceCatalog>('resources');
  const configs = ofKind<PlatformConfig>('config');
  const playbooks = ofKind<Playbook>('playbook');
  const routings = ofKind<Routing>('routing');
  const ruleGroups = ofKind<RuleGroup>('ruleGroup');
  const severityDeclarations = ofKind<Severities>('severities');
  const routeTrees = ofKind<RouteTree>('routeTree');

  // An invalid config was reported already; "no config" would mislead.
  const anyConfig = exported.some((item) => (item.value as { kind: string }).kind === 'config');
  if (!anyConfig && complete) report(definitionError(dir, [], noConfig()));
  for (const extra of configs.slice(1))
    report(definitionError(extra.source, ['config'], secondSingleton('defineConfig', configs[0]!.source)));
  for (const extra of routings.slice(1))
    report(definitionError(extra.source, ['routing'], secondSingleton('defineRouting', routings[0]!.source)));
  for (const extra of severityDeclarations.slice(1))
    report(definitionError(extra.source, ['severities'], secondSingleton('defineSeverities', severityDeclarations[0]!.source)));
  for (const extra of routeTrees.slice(1))
    report(definitionError(extra.source, ['route tree'], secondSingleton('defineRouteTree', routeTrees[0]!.source)));
  for (const extra of catalogs.slice(1))
    report(definitionError(extra.source, ['resources'], secondSingleton('defineResources', catalogs[0]!.source)));
  checkUnique(teams, (team) => [`team "${team.name}"`], 'team', report);
  checkUnique(defined, (service) => [`service "${service.name}"`], 'service', report);
  checkUnique(playbooks, (playbook) => [`playbook "${playbook.name}"`], 'playbook', report);
  checkUnique(policies, (policy) => [`policy "${policy.name}"`], 'policy', report);
  checkPolicyConflicts(policies, report);
  // A catalog with a wrong gauge would repeat its mistake in every service's alert.
  const resources = catalogs[0];
  const catalog = resources && checkResourceCatalog(resources, report) ? resources : undefined;
  // Names of every exported team, valid or not: a team with a bad field is reported once, not again by each of its services.
  const teamNames = exported
    .filter((item) => (item.value as { kind: string }).kind === 'team')
    .map((item) => String((item.value as { name?: unknown }).name));
  checkReferences(teamNames, defined, report);
  checkReservedNames(defined, report);
  const services = defined.map((service) => {
    // Its checks read the service, the policies and the catalog only: an unchanged service's problems are reported again as they were.
    const { expanded, problems } = memo.remember('service', service, [catalog, ...policies], () => {
      const found: DefinitionError[] = [];
      return { expanded: expandService(service, policies, catalog, (error) => found.push(error)), problems: found };
    });
    for (const problem of problems) report(problem);
    return expanded;
  });
  checkPlaybooks(playbooks, { services, ruleGroups }, report);
  const dashboards = buildDashboards(
    valid
      .filter((item) => (item.value as { kind: string }).kind === 'dashboard')
      .map((item) => ({ ...(item.value as DashboardDefinition), source: item.source, exportName: item.exportName })),
    defined,
    report,
  );
  const severities = severityDeclarations[0];
  checkRuleGroups(ruleGroups, teamNames, severities, report);
  const metrics = collectMetrics(services, ruleGroups, report);
  const config = configs[0];
  const fileEvents = data.events && validEvents(data.events, report);
  const policy = routings[0];
  if (config) {
    checkRouting({ config, teams, services, playbooks, routing: policy }, report, fileEvents);
    checkScrapeJobs(config, services, report);
  }
  const routeTree = routeTrees[0];
  if (routeTree) checkRouteTree(routeTree, { config, teams, routing: policy }, report);
  // The data file's events join the routing policy's (a policy of their own when there is none).
  const routing: (Routing & Sourced) | undefined =
    fileEvents && fileEvents.events.length > 0
      ? { kind: 'routing', source: fileEvents.source, ...policy, events: [...(policy?.events ?? []), ...fileEvents.events] }
      : policy;
  return config
    ? {
        config,
        teams,
        services,
        playbooks,
        policies,
        dashboards,
        metrics,
        ...(routing && { routing }),
        ...(resources && { resources }),
        ...(ruleGroups.length > 0 && { ruleGroups }),
        ...(severities && { severities }),
        ...(routeTree && { routeTree }),
        ...(fileEvents && { dataFiles: [fileEvents.source] }),
      }
    : undefined;
}

/** A service with the alerts its policies add, after the checks of the service alone; as defined when those fail. */
function expandService(
  service: Service & Sourced,
  policies: readonly (Policy & Sourced)[],
  catalog: (ResourceCatalog & Sourced) | undefined,
  report: (error: DefinitionError) => void,
): Service & Sourced {
  let clean = true;
  checkService(service, (error) => {
    clean = false;
    report(error);
  });
  checkServiceCoverage(service, report);
  // Policies add to valid services only, and test series are only built for those.
  if (!clean) return service;
  const generated = checkPolicyAlerts(service, policyAlerts(service, policies, catalog).alerts, report);
  const expanded = withPolicyAlerts(service, policies, generated);
  checkTestable(expanded, report);
  return expanded;
}

/** The valid events of the events file; each problem is reported with the event's name and field. */
function validEvents(file: { source: string; value: unknown }, report: (error: DefinitionError) => void): EventSource | undefined {
  const fail = (problem: SchemaProblem): void => report(definitionError(file.source, namedPath(file.value, problem.path), problem.said));
  const shape = eventsFileSchema.safeParse(file.value);
  if (!shape.success) {
    for (const issue of shape.error.issues) fail(schemaProblem(eventsFileSchema, file.value, issue));
    return undefined;
  }
  const events: EventWindow[] = [];
  shape.data.events.forEach((event, index) => {
    const result = eventSchema.safeParse(event);
    // Validated to the formats the template-literal types describe.
    if (result.success) events.push(result.data as unknown as EventWindow);
    else
      for (const issue of result.error.issues) {
        const problem = schemaProblem(eventSchema, event, issue);
        fail({ ...problem, path: ['events', index, ...problem.path] });
      }
  });
  return { source: file.source, at: [], events };
}

function validShape(item: Exported, report: (error: DefinitionError) => void, memo: LoadMemo): boolean {
  const kind = (item.value as { kind: string }).kind;
  const schema = schemas[kind]!;
  // Only the issues are kept: zod's parsed copy of the definition is not used.
  const issues = memo.remember('shape', item.value as object, [], () => schema.safeParse(item.value).error?.issues);
  if (!issues) return true;
  const name = (item.value as { name?: unknown }).name;
  // Reached through an array or object (`fleet[2]`), the path says which of many it is.
  const inCollection = /[[.]/.test(item.exportName);
  const owner =
    kind === 'routeTree'
      ? 'route tree'
      : kind === 'config' || kind === 'routing' || kind === 'resources' || kind === 'severities'
        ? kind
        : typeof name === 'string'
          ? `${kind === 'ruleGroup' ? 'rule group' : kind} "${name}"${inCollection ? ` (${item.exportName})` : ''}`
          : `${kind === 'ruleGroup' ? 'rule group' : kind} (export ${item.exportName})`;
  for (const issue of issues) {
    const problem = schemaProblem(schema, item.value, issue);
    report(definitionError(item.source, [owner, ...namedPath(item.value, problem.path)], problem.said));
  }
  return false;
}

/**
 * Every metric by name; two different definitions under one name would make rules and
 * instrumentation disagree. Rule groups read metrics named by their exporters: the `_total`
 * convention is not theirs to keep.
 */
function collectMetrics(
  services: readonly (Service & Sourced)[],
  ruleGroups: readonly (RuleGroup & Sourced)[],
  report: (error: DefinitionError) => void,
): Map<string, Metric> {
  const metrics = new Map<string, Metric>();
  const add = (metric: Metric, source: string, path: readonly string[], own: boolean): void => {
    const known = metrics.get(metric.name);
    if (!known) {
      metrics.set(metric.name, metric);
      // `_count` is the observation counter of a histogram or summary another program exports.
      if (own && metric.kind === 'counter' && !metric.name.endsWith('_total') && !metric.name.endsWith('_count'))
        report(definitionError(source, path, counterWithoutTotal(metric.name)));
      if (metric.kind === 'histogram' && !isAscending(metric.buckets))
        report(definitionError(source, path, bucketsNotAscending(metric.name, metric.buckets)));
    } else if (known !== metric && JSON.stringify(known) !== JSON.stringify(metric)) {
      report(definitionError(source, path, conflictingMetric(metric.name)));
    }
  };
  for (const service of services) {
    for (const { path, selector } of serviceSelectors(service))
      add(selector.metric, service.source, [`service "${service.name}"`, ...path], true);
  }
  for (const group of ruleGroups) {
    for (const rule of group.rules) {
      for (const selector of exprSelectors(rule.expr))
        add(selector.metric, group.source, [`rule group "${group.name}"`, `${rule.kind} "${rule.name}"`, 'expr'], false);
    }
  }
  return new Map([...metrics].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function isAscending(buckets: readonly number[]): boolean {
  return buckets.length > 0 && buckets.every((bucket, index) => bucket > 0 && (index === 0 || bucket > buckets[index - 1]!));
}
