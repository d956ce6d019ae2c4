import { policyAlertNames } from '../model/alert-names.ts';
import type { ThresholdAlert } from '../model/alert.ts';
import { mul, rational, toDecimal } from '../model/decimal.ts';
import { average, defaultForecastLookback, forecast, gaugePercent, promql, quantile, ratio, type ThresholdExpr } from '../model/expr.ts';
import type { AbsentRule } from '../model/absent.ts';
import type { Sourced } from '../model/platform.ts';
import type { Policy, PolicyLevels } from '../model/policy.ts';
import { serviceResource, type ResourceMap } from '../model/resources.ts';
import { severities } from '../model/severity.ts';
import type { Service } from '../model/service.ts';
import { resourceKinds, type PolicyAlertKind } from '../model/signals.ts';
import type { LatencySlo } from '../model/slo.ts';
import { renderSelector } from '../promql/render.ts';
import { num } from './promtool-number.ts';
import { seriesName } from './test-labels.ts';

// Policies → alerts (model/policy.ts): for each kind a policy asks of a service, the alert it
// generates, unless the service's own alert `covers` that kind or the service opts out of it.
// Pure; the loader applies it once, `monforge coverage` asks it again for the gaps.

/** A policy kind that could not be turned into an alert for a service, and why. */
export interface PolicyGap {
  readonly kind: PolicyAlertKind;
  readonly policy: string;
  readonly reason: string;
}

export interface PolicyOutcome {
  /** Generated alerts, each with `policy` and `covers` set. */
  readonly alerts: readonly ThresholdAlert[];
  readonly gaps: readonly PolicyGap[];
}

/** The policy in force for one setting: the tier's own, else the platform default. */
function policyFor<T>(service: Pick<Service, 'tier'>, policies: readonly Policy[], setting: (policy: Policy) => T | undefined) {
  const applies = (policy: Policy): boolean => policy.tiers === undefined || policy.tiers.includes(service.tier);
  const candidates = policies.filter((policy) => applies(policy) && setting(policy) !== undefined);
  const chosen = candidates.find((policy) => policy.tiers !== undefined) ?? candidates[0];
  return chosen === undefined ? undefined : { policy: chosen, settings: setting(chosen)! };
}

/** The absent settings the policies give a service. */
function policyAbsent(service: Service, policies: readonly Policy[]): { targets?: AbsentRule; metrics?: AbsentRule } {
  const targets = policyFor(service, policies, (policy) => policy.absent?.targets)?.settings;
  const metrics = policyFor(service, policies, (policy) => policy.absent?.metrics)?.settings;
  return { ...(targets && { targets }), ...(metrics && { metrics }) };
}

/** The service with the alerts its policies generated and the absent settings they give it (its own win). */
export function withPolicyAlerts<S extends Service>(service: S, policies: readonly Policy[], generated: readonly ThresholdAlert[]): S {
  const absent = policyAbsent(service, policies);
  const targets = { ...absent.targets, ...service.absent?.targets };
  const metrics = { ...absent.metrics, ...service.absent?.metrics };
  return {
    ...service,
    alerts: [...(service.alerts ?? []), ...generated],
    absent: {
      ...service.absent,
      ...(Object.keys(targets).length > 0 && { targets }),
      ...(Object.keys(metrics).length > 0 && { metrics }),
    },
  };
}

/** The alerts the policies give one service, and what they asked but the service cannot provide. */
export function policyAlerts(service: Service, policies: readonly (Policy & Sourced)[], catalog: ResourceMap | undefined): PolicyOutcome {
  const own = (service.alerts ?? []).filter((alert) => alert.policy === undefined);
  const alerts: ThresholdAlert[] = [];
  const gaps: PolicyGap[] = [];
  const wanted = (kind: PolicyAlertKind): boolean => service.optOut?.[kind] === undefined && !own.some((alert) => alert.covers === kind);
  const generate = <T extends PolicyLevels>(
    kind: PolicyAlertKind,
    setting: (policy: Policy) => T | undefined,
    build: (settings: T, policy: Policy) => ThresholdAlert[] | string,
  ): void => {
    const found = policyFor(service, policies, setting);
    if (!found || !wanted(kind)) return;
    const built = build(found.settings, found.policy);
    if (typeof built === 'string') gaps.push({ kind, policy: found.policy.name, reason: built });
    else alerts.push(...built.map((alert) => ({ ...alert, covers: kind, policy: found.policy.name })));
  };

  generate(
    'errorRatio',
    (policy) => policy.errorRatio,
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
    },
  );

  generate(
    'latency',
    (policy) => policy.latency,
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
    },
  );

  generate(
    'liveness',
    (policy) => policy.liveness,
    (settings, policy) => [
      alertOf(settings, policy, {
        name: policyAlertNames.liveness(service.name),
        expr: targetsDown(service),
        summary: `{{ printf "%.0f" $value }} % of ${service.name} targets are down`,
        description: `{{ printf "%.1f" $value }} % of the scrape targets of ${service.name} (${renderSelector('up', service, { matchers: {} })}) are down (${levelsText(settings, (level) => `${level} %`)}).`,
        healthSignal: 'resources',
      }),
    ],
  );

  for (const resource of resourceKinds) {
    generate(
      resource,
      (policy) => policy.saturation?.[resource],
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
      },
    );
  }
  return { alerts, gaps };
}

interface AlertText {
  readonly name: string;
  readonly expr: ThresholdExpr;
  readonly summary: string;
  readonly description: string;
  readonly healthSignal?: ThresholdAlert['healthSignal'];
}

function alertOf(settings: PolicyLevels, policy: Policy, text: AlertText): ThresholdAlert {
  return {
    ...text,
    levels: settings.levels,
    ...(settings.for && { for: settings.for }),
    ...(settings.escalate && { escalate: settings.escalate }),
    description: `${text.description} Generated by policy "${policy.name}".`,
  };
}

/** `warning above 0.1 %, critical above 0.5 %`, mildest first. */
function levelsText(settings: PolicyLevels, format: (level: number) => string): string {
  return [...severities]
    .reverse()
    .filter((severity) => settings.levels[severity] !== undefined)
    .map((severity) => `${severity} above ${format(settings.levels[severity]!)}`)
    .join(', ');
}

const valueText = (unit: string): string => (unit === 'seconds' ? '{{ $value | humanizeDuration }}' : '{{ $value | humanize }}');

/** The latency SLO a spike is judged against: the one on the traffic histogram, else the first. */
function latencySloOf(service: Service): LatencySlo | undefined {
  const latency = (service.slos ?? []).filter((slo): slo is LatencySlo => slo.kind === 'latency');
  const traffic = service.traffic?.latency?.metric.name;
  return latency.find((slo) => slo.histogram.metric.name === traffic) ?? latency[0];
}

/** Percent of the service's targets down, as raw PromQL that brings its own `up` test series. */
function targetsDown(service: Service): ThresholdExpr {
  const labels = Object.keys(service.selector).sort();
  const up = renderSelector('up', service, { matchers: {} });
  return promql({
    expr: `100 * (1 - avg${labels.length > 0 ? ` by (${labels.join(', ')})` : ''} (${up}))`,
    unit: 'percent',
    resultLabels: { ...service.selector },
    testSeries: (percent) => [
      { series: seriesName('up', { ...service.selector, instance: 'test' }), values: `${num(1 - percent / 100)}+0x240` },
    ],
  });
}
