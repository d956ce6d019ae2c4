import { outageAlertName, runbookUrl } from '../../model/alert-names.ts';
import type { PlatformConfig } from '../../model/config.ts';
import type { Service, Traffic } from '../../model/service.ts';
import { groupingLabels } from '../../model/result-labels.ts';
import { renderSelector, sumBy } from '../../promql/render.ts';
import { alertAnnotations, alertLabels } from './labels.ts';
import type { RuleGroup } from './rules.ts';

/** Share of failing requests above which the service counts as down. */
export const outageErrorPercent = 95;
export const defaultOutageInterval = '10s';

/** The outage expression: nearly every request failing between the last two scrapes, or no target up. */
export function outageExpr(service: Service, traffic: Traffic): string {
  const by = groupingLabels(service, []);
  // irate looks at the last two samples only: a total failure shows after one scrape, where
  // a 5m rate would need a minute or more to cross the line. The 2m range still holds two
  // samples when Prometheus 3 leaves the range's start out and scrapes are a minute apart.
  const errors = sumBy(by, `irate(${renderSelector(traffic.errors.metric.name, service, traffic.errors)}[2m])`);
  const requests = sumBy(by, `irate(${renderSelector(traffic.requests.metric.name, service, traffic.requests)}[2m])`);
  const up = sumBy(by, renderSelector('up', service, { matchers: {} }), 'max');
  return `(100 * ${errors} / ${requests} > ${outageErrorPercent}) or (${up} == 0)`;
}

/**
 * Fast outage detection for a request-serving service: its own group with a short interval,
 * because burn-rate pages need about a minute even at 100 % errors and docs/design.md asks < 30 s.
 */
export function outageGroup(config: PlatformConfig, service: Service, traffic: Traffic): RuleGroup {
  const name = outageAlertName(service.name);
  return {
    name: `${service.name}-outage`,
    interval: config.outageEvaluationInterval ?? defaultOutageInterval,
    rules: [
      {
        alert: name,
        expr: outageExpr(service, traffic),
        ...(config.outageKeepFiringFor && { keep_firing_for: config.outageKeepFiringFor }),
        labels: alertLabels(service, 'critical', { outage: 'true' }),
        annotations: alertAnnotations(
          `${service.name} is down`,
          `More than ${outageErrorPercent} % of ${service.name} requests failed between the last two scrapes, or none of its targets is up.`,
          runbookUrl(config, name),
        ),
      },
    ],
  };
}
