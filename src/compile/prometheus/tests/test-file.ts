import { outageAlertName } from '../../../model/alert-names.ts';
import type { Service } from '../../../model/service.ts';
import { isAlertingRule, type AlertingRule, type RuleGroup } from '../rules.ts';
import { absentTests } from './absent-tests.ts';
import { outageTests } from './outage-tests.ts';
import type { TestGroup } from './promtool.ts';
import { sloTests } from './slo-tests.ts';
import { thresholdTests } from './threshold-tests.ts';

export interface PromtoolTestFile {
  readonly rule_files: string[];
  readonly evaluation_interval: '1m';
  readonly tests: TestGroup[];
}

/** The promtool test file of (one rule file of) a service: every alert in `groups` is exercised. */
export function serviceTestFile(service: Service, groups: readonly RuleGroup[], rulePath: string): PromtoolTestFile {
  const alerts = groups.flatMap((group) => group.rules.filter(isAlertingRule));
  const named = (name: string): AlertingRule[] => alerts.filter((rule) => rule.alert === name);
  const tests: TestGroup[] = [];
  const outage = named(outageAlertName(service.name))[0];
  if (service.traffic && outage) tests.push(...outageTests(service, service.traffic, outage));
  for (const slo of service.slos ?? []) {
    // Its recording rules are labelled with it, whether or not any tier alerts.
    if (!groups.some((group) => group.rules.some((rule) => rule.labels?.slo === slo.name))) continue;
    tests.push(
      ...sloTests(
        service,
        slo,
        alerts.filter((rule) => rule.labels.service === service.name && rule.labels.slo === slo.name),
      ),
    );
  }
  for (const alert of service.alerts ?? []) {
    const rules = named(alert.name);
    if (rules.length > 0) tests.push(...thresholdTests(service, alert, rules));
  }
  tests.push(...absentTests(service, alerts));

  // An alert without a test is a defect of the compiler, not of the definitions.
  const tested = new Set(
    tests.flatMap((group) => group.alert_rule_test.filter((each) => each.exp_alerts.length > 0).map((each) => each.alertname)),
  );
  const untested = [...new Set(alerts.map((rule) => rule.alert))].filter((name) => !tested.has(name));
  if (untested.length > 0) throw new Error(`internal: no firing test for ${untested.join(', ')}`);

  // promtool resolves rule files relative to the test file: tests/ sits next to rules/.
  return { rule_files: [`../${rulePath.replace('prometheus/', '')}`], evaluation_interval: '1m', tests };
}
