// The three rule sets the benchmark compares, as parsed rule groups over the same history:
// monforge's SLO rules before issue #13 (the fixture), after it (compiled now), and Sloth's own
// output for the same SLO with its selectors pointed at the synthetic series.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { serviceRuleGroups } from '../../src/compile/prometheus/service-rules.ts';
import type { GroupLike, RuleLike } from '../history/index.ts';
import { benchPlatform, requestsMetric } from './platform.ts';

export const ruleSetNames = ['before', 'after', 'sloth'] as const;
export type RuleSetName = (typeof ruleSetNames)[number];

const here = import.meta.dirname;
/** Sloth's output for its getting-started SLO, vendored with its source and license (vendor/peers/README.md). */
async function slothRules(): Promise<string> {
  return await readFile(path.resolve(here, '../../vendor/peers/sloth-getting-started.rules.yml'), 'utf8');
}

/** The fixture's service labels get a `-before` suffix, so its records and this run's never share a series. */
export const beforeService = (job: string): string => `${job}-before`;

function relabelled(groups: readonly GroupLike[]): GroupLike[] {
  return groups.map((group) => ({
    ...group,
    name: `${group.name}-before`,
    rules: group.rules.map((rule) => ({
      ...rule,
      expr: rule.expr.replace(/service="([^"]+)"/g, (_, service: string) => `service="${beforeService(service)}"`),
      ...(rule.labels?.service ? { labels: { ...rule.labels, service: beforeService(rule.labels.service) } } : {}),
    })),
  }));
}

export async function ruleSets(): Promise<Record<RuleSetName, GroupLike[]>> {
  const platform = benchPlatform();
  const after = platform.services.flatMap((service) => serviceRuleGroups(platform.config, service)) as GroupLike[];
  const before = relabelled((parse(await readFile(path.join(here, 'before.rules.yml'), 'utf8')) as { groups: GroupLike[] }).groups);
  // Sloth's example reads http_request_duration_seconds_count; the history's counter is http_requests_total. Nothing else changes.
  const sloth = (parse((await slothRules()).replaceAll('http_request_duration_seconds_count', requestsMetric)) as { groups: GroupLike[] })
    .groups;
  return { before, after, sloth };
}

/** The rules of one rule set that belong to `job`'s SLO, each with a name shared across the sets. */
export function rulesOf(set: RuleSetName, groups: readonly GroupLike[], job: string): { key: string; rule: RuleLike }[] {
  const service = set === 'before' ? beforeService(job) : job;
  return groups
    .flatMap((group) => group.rules)
    .filter((rule) => (set === 'sloth' ? job === 'myservice' : rule.labels?.service === service))
    .map((rule) => ({ key: rule.record ?? `alert ${rule.labels?.tier ?? rule.labels?.sloth_severity}`, rule }));
}

/** A selector of the SLI series of `job` in a rule set. */
export function sliSelector(set: RuleSetName, job: string): string {
  if (set === 'sloth') return '{sloth_service="myservice",sloth_slo="requests-availability"}';
  return `{service="${set === 'before' ? beforeService(job) : job}",slo="requests-availability"}`;
}
