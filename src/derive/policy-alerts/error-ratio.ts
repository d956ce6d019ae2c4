import { policyAlertNames } from '../../model/alert-names.ts';
import { ratio } from '../../model/expr.ts';
import type { ErrorRatioPolicy } from '../../model/policy.ts';
import type { Service } from '../../model/service.ts';
import { alertOf, levelsText, type PolicyAlertBuilder } from './alert-text.ts';

/** Percent of the service's `traffic.errors` in its `traffic.requests`. */
export const errorRatioAlerts =
  (service: Service): PolicyAlertBuilder<ErrorRatioPolicy> =>
  (settings, policy) => {
    if (!service.traffic) return 'needs traffic (requests and errors) to measure an error ratio';
    const window = settings.window ?? '5m';
    return [
      alertOf(settings, policy, {
        name: policyAlertNames.errorRatio(service.name),
        expr: ratio(service.traffic.errors, service.traffic.requests, { window }),
        summary: `${service.name} error ratio is {{ printf "%.2f" $value }} %`,
        description: `{{ printf "%.2f" $value }} % of ${service.name} requests failed over ${window} (${levelsText(settings, (level) => `${level} %`)}).`,
      }),
    ];
  };
