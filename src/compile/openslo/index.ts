import type { FileSet } from '../../output/fileset.ts';
import { generatedHeader, toYaml } from '../../output/serialize.ts';
import { burnTiers, defaultSloWindow, gaugeBound, type GaugeBoundKind, type Slo } from '../../model/slo.ts';
import { mul, rational, toDecimal } from '../../model/decimal.ts';
import { formatDuration, seconds } from '../../model/duration.ts';
import type { Platform } from '../../model/platform.ts';
import type { Service } from '../../model/service.ts';
import type { Selector } from '../../model/selector.ts';
import { goFloat } from '../../promql/numbers.ts';
import { renderSelector } from '../../promql/render.ts';
import { alertingAnnotation, alertNameAnnotation, selectorAnnotation, sloNameAnnotation } from './annotations.ts';
import { apiVersion, type OpenSloService, type OpenSloSlo } from './spec.ts';

// `defineConfig({ targets: { openslo: true } })`: every SLO as OpenSLO v1, so that other tools
// read the same objectives: `openslo/<service>.yaml` holds the service and its SLOs, each with
// its SLI inline over Prometheus. Events are counters (`counter: true`); a gauge SLO is a
// `thresholdMetric`. What OpenSLO has no field for (the SLO's monforge name, alert name, alert
// settings, the service's selector) rides in `monforge/` annotations, so importing the files
// gives back the same SLOs.

export const opensloDir = 'openslo';

const operators: Record<GaugeBoundKind, 'lt' | 'lte' | 'gt' | 'gte'> = { below: 'lt', atMost: 'lte', above: 'gt', atLeast: 'gte' };

/** OpenSLO's names are RFC 1123 labels: `<service>-<slo>`, `_` made `-`. */
const objectName = (...parts: string[]): string => parts.join('-').replace(/_/g, '-');

/** A rolling window as a duration shorthand, spoken of in days as monforge writes it (`28d`, not `4w`); OpenSLO has no seconds. */
function shorthand(window: Slo['window']): string {
  const total = seconds(window ?? defaultSloWindow);
  if (total % 86_400 === 0) return `${total / 86_400}d`;
  const written = formatDuration(total);
  return /^[0-9]+[mh]$/.test(written) ? written : `${Math.round(total / 60)}m`;
}

const query = (service: Service, selector: Selector, name = selector.metric.name, extra: string[] = []) => ({
  metricSource: { type: 'Prometheus', spec: { query: renderSelector(name, service, selector, extra) } },
});

function indicatorSpec(service: Service, slo: Slo): OpenSloSlo['spec']['indicator'] & object {
  const metadata = { name: objectName(service.name, slo.name) };
  // A gauge of good shares is a precomputed success ratio: OpenSLO's raw ratio metric.
  if (slo.kind === 'gauge' && slo.good === 'value')
    return { metadata, spec: { ratioMetric: { counter: false, rawType: 'success', raw: query(service, slo.gauge) } } };
  if (slo.kind === 'gauge') return { metadata, spec: { thresholdMetric: query(service, slo.gauge) } };
  if (slo.kind === 'latency') {
    const name = slo.histogram.metric.name;
    return {
      metadata,
      spec: {
        ratioMetric: {
          counter: true,
          good: query(service, slo.histogram, `${name}_bucket`, [`le="${goFloat(slo.threshold)}"`]),
          total: query(service, slo.histogram, `${name}_count`),
        },
      },
    };
  }
  return {
    metadata,
    spec: {
      ratioMetric: {
        counter: true,
        ...(slo.errors ? { bad: query(service, slo.errors) } : { good: query(service, slo.good!) }),
        total: query(service, slo.total),
      },
    },
  };
}

/** The alert settings OpenSLO has no field for, as JSON, or undefined when there are none. */
function alerting(slo: Slo): string | undefined {
  const tiers = Object.fromEntries(burnTiers.flatMap((tier) => (slo.tiers?.[tier] ? [[tier, slo.tiers[tier]]] : [])));
  const settings = { ...(slo.annotations && { annotations: slo.annotations }), ...tiers };
  return Object.keys(settings).length > 0 ? JSON.stringify(settings) : undefined;
}

export function sloObject(service: Service, slo: Slo): OpenSloSlo {
  const target = Number(toDecimal(mul(rational(slo.objective), rational('0.01'))));
  const settings = alerting(slo);
  const bound = slo.kind === 'gauge' && slo.good !== 'value' ? gaugeBound(slo.good) : undefined;
  const objective = bound ? { op: operators[bound.kind], value: bound.value, target } : { target };
  return {
    apiVersion,
    kind: 'SLO',
    metadata: {
      name: objectName(service.name, slo.name),
      ...(slo.labels && { labels: { ...slo.labels } }),
      annotations: {
        [sloNameAnnotation]: slo.name,
        ...(slo.alertName !== undefined && { [alertNameAnnotation]: slo.alertName }),
        ...(settings !== undefined && { [alertingAnnotation]: settings }),
      },
    },
    spec: {
      ...(slo.description !== undefined && { description: slo.description }),
      service: service.name,
      indicator: indicatorSpec(service, slo),
      timeWindow: [{ duration: shorthand(slo.window), isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [objective],
    },
  };
}

function serviceObject(service: Service): OpenSloService {
  return {
    apiVersion,
    kind: 'Service',
    metadata: { name: objectName(service.name), annotations: { [selectorAnnotation]: JSON.stringify(service.selector) } },
    spec: { ...(service.description !== undefined && { description: service.description }) },
  };
}

/** `openslo/<service>.yaml` for every service with SLOs: its Service object, then one SLO per SLO. */
export function compileOpenSlo(platform: Platform): FileSet {
  const files = new Map<string, string>();
  for (const service of platform.services) {
    const slos = service.slos ?? [];
    if (slos.length === 0) continue;
    const documents = [serviceObject(service), ...slos.map((slo) => sloObject(service, slo))];
    const body = documents.map((document) => `---\n${toYaml(document)}`).join('');
    files.set(`${opensloDir}/${service.name}.yaml`, `# ${generatedHeader([service.source])}\n\n${body}`);
  }
  return files;
}
