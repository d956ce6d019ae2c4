import { absentDetection } from '../../model/absent-detection.ts';
import { metricAbsentAlertName, runbookUrl, targetsAbsentAlertName } from '../../model/alert-names.ts';
import type { PlatformConfig } from '../../model/config.ts';
import type { Service } from '../../model/service.ts';
import { renderSelector } from '../../promql/render.ts';
import { alertAnnotations, alertLabels } from './labels.ts';
import type { AlertingRule, RuleGroup } from './rules.ts';

/** The label naming the missing series of a `<Service>MetricAbsent` alert. */
export const absentMetricLabel = 'metric';

/**
 * Silent failures (model/absent.ts): the service's targets vanished from service discovery, and
 * each metric its rules read missing while a target is up. Undefined when the service opts out.
 */
export function absentGroup(config: PlatformConfig, service: Service): RuleGroup | undefined {
  const detection = absentDetection(service);
  if (!detection) return undefined;
  const up = renderSelector('up', service, { matchers: {} });
  const targets: AlertingRule = {
    alert: targetsAbsentAlertName(service.name),
    expr: `absent(${up})`,
    for: detection.targets.for,
    labels: alertLabels(service, detection.targets.severity),
    annotations: alertAnnotations(
      `${service.name} has no scrape target`,
      `No series matches ${up}: every target of ${service.name} left service discovery or is no longer scraped, so none of its alerts can fire. Check its scrape job and service discovery.`,
      runbookUrl(config, targetsAbsentAlertName(service.name)),
    ),
  };
  const metrics = detection.series.map(
    (series): AlertingRule => ({
      alert: metricAbsentAlertName(service.name),
      // Only while a target is up: a target that is down is the outage alert's business.
      expr: `absent(${renderSelector(series, service, { matchers: {} })}) and on() (max(${up}) == 1)`,
      for: detection.metrics.for,
      labels: alertLabels(service, detection.metrics.severity, { [absentMetricLabel]: series }),
      annotations: alertAnnotations(
        `${service.name} exports no ${series}`,
        `The targets of ${service.name} are up but export no ${series}: every rule reading it returns nothing and cannot fire. Was the metric renamed or removed?`,
        runbookUrl(config, metricAbsentAlertName(service.name)),
      ),
    }),
  );
  return { name: `${service.name}-absent`, rules: [targets, ...metrics] };
}
