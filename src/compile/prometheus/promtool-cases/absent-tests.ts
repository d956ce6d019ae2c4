import { seriesName } from '../../../derive/test-labels.ts';
import { metricAbsentAlertName, targetsAbsentAlertName } from '../../../model/alert-names.ts';
import { seconds } from '../../../model/duration.ts';
import type { TestSeries } from '../../../model/expr.ts';
import type { Service } from '../../../model/service.ts';
import { absentMetricLabel } from '../absent.ts';
import type { AlertingRule } from '../rules.ts';
import { expectedAlert } from './expect.ts';
import { minutes, type AlertTestCase, type TestGroup } from './promtool.ts';

const forMinutes = (rule: AlertingRule): number => Math.ceil(seconds(rule.for ?? '0s') / 60);

/**
 * Targets gone fires after `for` (not a minute earlier), a target up or down does not; a
 * metric missing while a target is up fires per metric, present metrics or targets down do not.
 */
export function absentTests(service: Service, rules: readonly AlertingRule[]): TestGroup[] {
  const targets = rules.find((rule) => rule.alert === targetsAbsentAlertName(service.name));
  const metrics = rules.filter((rule) => rule.alert === metricAbsentAlertName(service.name));
  const labels = { ...service.selector };
  const steps = Math.max(...rules.map(forMinutes)) + 2;
  const series = (name: string, value: number): TestSeries => ({
    series: seriesName(name, { ...labels, ...(name === 'up' ? { instance: 'test' } : {}) }),
    values: `${value}+0x${steps}`,
  });
  const scenario = (name: string, input: TestSeries[], rule: AlertingRule, firing: readonly AlertingRule[]): TestGroup => {
    const after = forMinutes(rule);
    const cases: AlertTestCase[] = [
      ...(firing.length > 0 && after > 0 ? [{ eval_time: minutes(after - 1), alertname: rule.alert, exp_alerts: [] }] : []),
      { eval_time: minutes(after), alertname: rule.alert, exp_alerts: firing.map((each) => expectedAlert(each, labels, 1)) },
    ];
    return { name: `${rule.alert}: ${name}`, interval: '1m', input_series: input, alert_rule_test: cases };
  };
  const groups: TestGroup[] = [];
  if (targets) {
    groups.push(scenario('no up series at all', [], targets, [targets]));
    groups.push(scenario('a target is up', [series('up', 1)], targets, []));
    groups.push(scenario('a target is down', [series('up', 0)], targets, []));
  }
  const first = metrics[0];
  if (first) {
    const present = metrics.map((rule) => series(rule.labels[absentMetricLabel]!, 1));
    groups.push(scenario('targets up, every metric missing', [series('up', 1)], first, metrics));
    groups.push(scenario('targets up, every metric present', [series('up', 1), ...present], first, []));
    groups.push(scenario('targets down, metrics missing', [series('up', 0)], first, []));
  }
  return groups;
}
