import type { Platform, Sourced } from '../../model/platform.ts';
import type { AlertCase, AlertRule, RuleGroup as DefinedGroup, Rule } from '../../model/rule-group.ts';
import { sortedLabels } from '../../model/emitted.ts';
import { renderRuleExpr } from '../../promql/rule-expr.ts';
import { ruleFilePath, testFilePath } from './paths.ts';
import type { TestGroup } from './promtool-cases/promtool.ts';
import type { PromtoolTestFile } from './promtool-cases/test-file.ts';

// The definitions' own rule groups (defineRuleGroup): one rule file per service with its groups
// in definition order, rules exactly as defined, and a promtool test file of each alert's cases.

/** A group as Prometheus reads it: keys in the order Prometheus documents them, nothing it would not read back. */
export interface RenderedGroup {
  readonly name: string;
  readonly interval?: string;
  readonly limit?: number;
  readonly rules: readonly object[];
}

export interface GroupFile {
  /** `node-exporter`, or `checkout.groups` when the service has monforge's own rule file too. */
  readonly name: string;
  readonly service: string;
  readonly sources: readonly string[];
  readonly groups: readonly RenderedGroup[];
  readonly rulePath: string;
  readonly testPath: string;
  readonly tests: () => PromtoolTestFile | undefined;
}

/** The rule files of the platform's rule groups, by service in name order. */
export function ruleGroupFiles(platform: Pick<Platform, 'ruleGroups' | 'services'>): GroupFile[] {
  const byService = new Map<string, (DefinedGroup & Sourced)[]>();
  for (const group of platform.ruleGroups ?? []) byService.set(group.service, [...(byService.get(group.service) ?? []), group]);
  const own = new Set(platform.services.map((service) => service.name));
  return [...byService.keys()].sort().map((service) => {
    const groups = byService.get(service)!;
    const name = own.has(service) ? `${service}.groups` : service;
    const rulePath = ruleFilePath(name);
    return {
      name,
      service,
      sources: [...new Set(groups.map((group) => group.source))],
      groups: groups.map(renderGroup),
      rulePath,
      testPath: testFilePath(name),
      tests: () => groupTestFile(groups, rulePath),
    };
  });
}

function renderGroup(group: DefinedGroup): RenderedGroup {
  return {
    name: group.name,
    ...(group.interval !== undefined && { interval: group.interval }),
    ...(group.limit !== undefined && { limit: group.limit }),
    rules: group.rules.map(renderRule),
  };
}

function renderRule(rule: Rule): object {
  const expr = renderRuleExpr(rule.expr);
  if (rule.kind === 'record') return { record: rule.name, expr, ...(rule.labels && { labels: rule.labels }) };
  return {
    alert: rule.name,
    expr,
    ...(rule.for !== undefined && { for: rule.for }),
    ...(rule.keepFiringFor !== undefined && { keep_firing_for: rule.keepFiringFor }),
    ...(rule.labels && { labels: rule.labels }),
    ...(rule.annotations && { annotations: rule.annotations }),
  };
}

/** Every case of every alert of the groups, or no file when none has a case. */
function groupTestFile(groups: readonly DefinedGroup[], rulePath: string): PromtoolTestFile | undefined {
  const tests = groups.flatMap((group) =>
    group.rules.flatMap((rule) => (rule.kind === 'alert' ? (rule.tests ?? []).map((each) => testGroup(group, rule, each)) : [])),
  );
  // promtool resolves rule files relative to the test file: tests/ sits next to rules/.
  return tests.length > 0 ? { rule_files: [`../${rulePath.replace('prometheus/', '')}`], evaluation_interval: '1m', tests } : undefined;
}

function testGroup(group: DefinedGroup, rule: AlertRule, test: AlertCase): TestGroup {
  return {
    name: `${group.name} › ${rule.name}: ${test.name}`,
    interval: test.interval ?? '1m',
    input_series: [...test.series],
    alert_rule_test: [
      {
        eval_time: test.at,
        alertname: rule.name,
        exp_alerts: test.fires.map((alert) => ({
          exp_labels: { ...sortedLabels(alert.labels) },
          exp_annotations: { ...alert.annotations },
        })),
      },
    ],
  };
}

/** The labels of every alerting rule of the rule groups, `alertname` included, sorted: what `test-alert` may copy. */
export function ruleGroupAlertLabels(platform: Pick<Platform, 'ruleGroups'>): Readonly<Record<string, string>>[] {
  return (platform.ruleGroups ?? []).flatMap((group) =>
    group.rules.filter((rule) => rule.kind === 'alert').map((rule) => sortedLabels({ alertname: rule.name, ...rule.labels })),
  );
}
