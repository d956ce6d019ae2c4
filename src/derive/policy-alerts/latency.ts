import { policyAlertNames } from '../../model/alert-names.ts';
import { mul, rational, toDecimal } from '../../model/decimal.ts';
import { average, quantile } from '../../model/expr.ts';
import type { LatencyPolicy } from '../../model/policy.ts';
import { severities } from '../../model/severity.ts';
import type { Service } from '../../model/service.ts';
import type { LatencySlo } from '../../model/slo.ts';
import { alertOf, levelsText, valueText, type PolicyAlertBuilder } from './alert-text.ts';

/** A quantile of the service's `traffic.latency`, or its mean against the latency SLO's threshold (a spike). */
export const latencyAlerts =
  (service: Service): PolicyAlertBuilder<LatencyPolicy> =>
  (settings, policy) => {
    if (settings.kind === 'quantile') {
      const histogram = service.traffic?.latency;
      if (!histogram) return 'needs traffic.latency (a histogram) for a latency quantile';
      const window = settings.window ?? '5m';
      const p = `p${Number((settings.quantile * 100).toPrecision(6))}`;
      return [
        alertOf(settings, policy, {
          name: policyAlertNames.latencyQuantile(service.name),
          expr: quantile(settings.quantile, histogram, { window }),
          summary: `${service.name} ${p} latency is ${valueText(histogram.metric.unit)}`,
          description: `The ${p} of ${histogram.metric.name} of ${service.name} over ${window} is ${valueText(histogram.metric.unit)} (${levelsText(settings, (level) => `${level} ${histogram.metric.unit === 'seconds' ? 's' : ''}`.trim())}).`,
        }),
      ];
    }
    const slo = latencySloOf(service);
    if (!slo) return 'needs a latency SLO: a spike is measured against its threshold';
    const window = settings.window ?? '2m';
    const unit = slo.histogram.metric.unit;
    const levels = Object.fromEntries(
      severities.flatMap((severity) => {
        const factor = settings.levels[severity];
        return factor === undefined ? [] : [[severity, Number(toDecimal(mul(rational(slo.threshold), rational(factor))))]];
      }),
    );
    return [
      alertOf({ ...settings, levels }, policy, {
        name: policyAlertNames.latencySpike(service.name),
        expr: average(slo.histogram, { window }),
        summary: `${service.name} average latency spiked to ${valueText(unit)}`,
        description: `The average ${slo.histogram.metric.name} of ${service.name} over ${window} is ${valueText(unit)}: ${levelsText(settings, (factor) => `${factor} × the ${slo.threshold} threshold of SLO "${slo.name}"`)}.`,
      }),
    ];
  };

/** The latency SLO a spike is judged against: the one on the traffic histogram, else the first. */
function latencySloOf(service: Service): LatencySlo | undefined {
  const latency = (service.slos ?? []).filter((slo): slo is LatencySlo => slo.kind === 'latency');
  const traffic = service.traffic?.latency?.metric.name;
  return latency.find((slo) => slo.histogram.metric.name === traffic) ?? latency[0];
}
