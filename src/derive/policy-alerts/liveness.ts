import { policyAlertNames } from '../../model/alert-names.ts';
import { promql, type ThresholdExpr } from '../../model/expr.ts';
import type { PolicyLevels } from '../../model/policy.ts';
import { readsOnly } from '../../model/reads-only.ts';
import type { Service } from '../../model/service.ts';
import { renderSelector } from '../../promql/render.ts';
import { num } from '../promtool-number.ts';
import { seriesName } from '../test-labels.ts';
import { alertOf, levelsText, type PolicyAlertBuilder } from './alert-text.ts';

/** Percent of the service's scrape targets down. */
export const livenessAlerts =
  (service: Service): PolicyAlertBuilder<PolicyLevels> =>
  (settings, policy) => [
    alertOf(settings, policy, {
      name: policyAlertNames.liveness(service.name),
      expr: targetsDown(service),
      summary: `{{ printf "%.0f" $value }} % of ${service.name} targets are down`,
      description: `{{ printf "%.1f" $value }} % of the scrape targets of ${service.name} (${renderSelector('up', service, { matchers: {} })}) are down (${levelsText(settings, (level) => `${level} %`)}).`,
      healthSignal: 'resources',
    }),
  ];

/** Percent of the service's targets down, as raw PromQL that brings its own `up` test series. */
function targetsDown(service: Service): ThresholdExpr {
  const labels = Object.keys(service.selector).sort();
  const up = renderSelector('up', service, { matchers: {} });
  return promql({
    expr: `100 * (1 - avg${labels.length > 0 ? ` by (${labels.join(', ')})` : ''} (${up}))`,
    unit: 'percent',
    resultLabels: { ...service.selector },
    testSeries: readsOnly(
      (percent: number) => [
        { series: seriesName('up', { ...service.selector, instance: 'test' }), values: `${num(1 - percent / 100)}+0x240` },
      ],
      service.selector,
    ),
  });
}
