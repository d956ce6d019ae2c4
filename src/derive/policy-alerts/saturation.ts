import { policyAlertNames } from '../../model/alert-names.ts';
import { defaultForecastLookback, forecast, gaugePercent } from '../../model/expr.ts';
import type { SaturationPolicy } from '../../model/policy.ts';
import { serviceResource, type ResourceMap } from '../../model/resources.ts';
import type { Service } from '../../model/service.ts';
import type { ResourceKind } from '../../model/signals.ts';
import { alertOf, levelsText, type PolicyAlertBuilder } from './alert-text.ts';

/** Percent of a resource's capacity in use, and with `forecast` "full within the horizon". */
export const saturationAlerts =
  (service: Service, catalog: ResourceMap | undefined, resource: ResourceKind): PolicyAlertBuilder<SaturationPolicy> =>
  (settings, policy) => {
    const gauges = serviceResource(service, catalog, resource);
    if (!gauges) return `no ${resource} gauges: add them to the resource catalog (defineResources) or the service's resources`;
    const usage = alertOf(settings, policy, {
      name: policyAlertNames.saturation(service.name, resource),
      expr: gaugePercent(gauges.used, gauges.capacity),
      summary: `${service.name} ${resource} usage is {{ printf "%.1f" $value }} % of capacity`,
      description: `${service.name} uses {{ printf "%.1f" $value }} % of its ${resource} (${gauges.used.metric.name} of ${gauges.capacity.metric.name}; ${levelsText(settings, (level) => `${level} %`)}).`,
    });
    const trend = settings.forecast;
    if (!trend) return [usage];
    const lookback = trend.lookback ?? defaultForecastLookback;
    return [
      usage,
      alertOf({ levels: { [trend.severity]: 100 }, ...(trend.for && { for: trend.for }) }, policy, {
        name: policyAlertNames.forecast(service.name, resource),
        expr: forecast(gauges.used, gauges.capacity, { horizon: trend.horizon, lookback }),
        summary: `${service.name} ${resource} is predicted to be full within ${trend.horizon}`,
        description: `At the trend of the last ${lookback}, ${service.name} would use {{ printf "%.0f" $value }} % of its ${resource} capacity (${gauges.capacity.metric.name}) ${trend.horizon} from now.`,
      }),
    ];
  };
