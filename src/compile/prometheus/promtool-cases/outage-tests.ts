import { labelsFor, seriesName } from '../../../derive/test-labels.ts';
import { ratioSeries } from '../../../derive/test-series.ts';
import type { Service, Traffic } from '../../../model/service.ts';
import { groupingLabels } from '../../../model/result-labels.ts';
import type { AlertingRule } from '../rules.ts';
import { outageErrorPercent } from '../outage.ts';
import { expectedAlert } from './expect.ts';
import type { TestGroup } from './promtool.ts';

/** Total failure fires one scrape after it starts; half the requests failing does not; no target up fires. */
export function outageTests(service: Service, traffic: Traffic, rule: AlertingRule): TestGroup[] {
  const steps = 4;
  const resultLabels = Object.fromEntries(groupingLabels(service, []).map((label) => [label, service.selector[label]!]));
  const up = (value: number) => ({
    series: seriesName('up', { ...labelsFor(service, { matchers: {} }), instance: 'test' }),
    values: `${value}+0x${steps}`,
  });
  const scenario = (name: string, series: TestGroup['input_series'], firing: boolean): TestGroup => ({
    name: `${rule.alert}: ${name}`,
    interval: '1m',
    input_series: series,
    alert_rule_test: [
      // A single sample has no irate yet, so nothing can fire at the first evaluation.
      ...(firing && series.length > 1 ? [{ eval_time: '0m', alertname: rule.alert, exp_alerts: [] }] : []),
      {
        eval_time: '1m',
        alertname: rule.alert,
        exp_alerts: firing ? [expectedAlert(rule, resultLabels, series.length > 1 ? 100 : 0)] : [],
      },
    ],
  });
  const half = (outageErrorPercent / 100) * 0.5;
  return [
    scenario('every request fails', [...ratioSeries(service, traffic.errors, traffic.requests, 1, {}, steps), up(1)], true),
    scenario(
      `${half * 100} % of requests fail`,
      [...ratioSeries(service, traffic.errors, traffic.requests, half, {}, steps), up(1)],
      false,
    ),
    scenario('no target is up', [up(0)], true),
  ];
}
