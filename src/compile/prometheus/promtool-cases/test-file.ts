import { outageAlertName } from '../../../model/alert-names.ts';
import type { Duration } from '../../../model/duration.ts';
import type { Service } from '../../../model/service.ts';
import { isAlertingRule, type AlertingRule, type RuleGroup } from '../rules.ts';
import { sloGroupName, slowGroupName } from '../slo.ts';
import { absentTests } from './absent-tests.ts';
import { outageTests } from './outage-tests.ts';
import type { TestGroup } from './promtool.ts';
import { sloTests } from './slo-tests.ts';
import { thresholdTests } from './threshold-tests.ts';

export interface PromtoolTestFile {
  readonly rule_files: string[];
  readonly evaluation_interval: Duration;
  /** Groups listed run in this order in each round (promtool's default order is random). */
  readonly group_eval_order?: string[];
  readonly tests: TestGroup[];
}

// promtool resolves rule files relative to the test file: tests/ sits next to rules/.
const ruleFiles = (rulePath: string): string[] => [`../${rulePath.replace('prometheus/', '')}`];

/**
 * Each SLO's slow group runs before its fast one, as it may in Prometheus, where groups have no
 * order: the ticket alert then reads this round's long windows, which lag the 5m aggregates by
 * one round. Fixed so that the tests are deterministic. Only groups of this rule file.
 */
const sloGroupOrder = (service: Service, groups: readonly RuleGroup[]): string[] => {
  const slos = service.slos ?? [];
  const present = new Set(groups.map((group) => group.name));
  return [...slos.map((slo) => slowGroupName(service, slo)), ...slos.map((slo) => sloGroupName(service, slo))].filter((name) =>
    present.has(name),
  );
};

/**
 * Minutes between evaluations in a test file: 5 for a file of baseline alerts only (the file
 * compilePrometheus gives them), whose every test spans the baseline's offset, a week of minutes
 * being 10,080 evaluations per test group; 1 otherwise.
 */
function evaluationMinutes(service: Service, alerts: readonly AlertingRule[]): number {
  const baselines = new Set((service.alerts ?? []).filter((alert) => alert.expr.kind === 'baseline').map((alert) => alert.name));
  return alerts.length > 0 && alerts.every((rule) => baselines.has(rule.alert)) ? 5 : 1;
}

/** The promtool test file of (one rule file of) a service: every alert in `groups` is exercised. */
export function serviceTestFile(service: Service, groups: readonly RuleGroup[], rulePath: string): PromtoolTestFile {
  const alerts = groups.flatMap((group) => group.rules.filter(isAlertingRule));
  const named = (name: string): AlertingRule[] => alerts.filter((rule) => rule.alert === name);
  const gridMinutes = evaluationMinutes(service, alerts);
  const tests: TestGroup[] = [];
  const outage = named(outageAlertName(service.name))[0];
  if (service.traffic && outage) tests.push(...outageTests(service, service.traffic, outage));
  // An SLO's recording rules are labelled with it, whether or not any tier alerts.
  const slos = (service.slos ?? []).filter((slo) => groups.some((group) => group.rules.some((rule) => rule.labels?.slo === slo.name)));
  if (slos.length > 0)
    tests.push(
      ...sloTests(
        service,
        slos,
        alerts.filter((rule) => rule.labels.service === service.name),
      ),
    );
  for (const alert of service.alerts ?? []) {
    const rules = named(alert.name);
    if (rules.length > 0) tests.push(...thresholdTests(service, alert, rules, gridMinutes));
  }
  tests.push(...absentTests(service, alerts));

  // An alert without a test is a defect of the compiler, not of the definitions.
  const tested = new Set(
    tests.flatMap((group) => group.alert_rule_test.filter((each) => each.exp_alerts.length > 0).map((each) => each.alertname)),
  );
  const untested = [...new Set(alerts.map((rule) => rule.alert))].filter((name) => !tested.has(name));
  if (untested.length > 0) throw new Error(`internal: no firing test for ${untested.join(', ')}`);

  const order = sloGroupOrder(service, groups);
  return {
    rule_files: ruleFiles(rulePath),
    evaluation_interval: `${gridMinutes}m`,
    ...(order.length > 0 ? { group_eval_order: order } : {}),
    tests,
  };
}
