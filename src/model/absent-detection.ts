import { defaultAbsent, type AbsentRule } from './absent.ts';
import type { Metric } from './metric.ts';
import type { Service } from './service.ts';
import { serviceSelectors } from './walk.ts';

export interface AbsentDetection {
  readonly targets: AbsentRule;
  readonly metrics: AbsentRule;
  /** Series whose presence is checked, by name, sorted: one per metric the rules read. */
  readonly series: readonly string[];
}

/** The one series whose presence shows a metric is exported: a histogram's `_count`. */
const presenceSeries = (metric: Metric): string => (metric.kind === 'histogram' ? `${metric.name}_count` : metric.name);

/** The absent alerts a service gets (model/absent.ts), or undefined when it opted out. */
export function absentDetection(service: Service): AbsentDetection | undefined {
  if (service.optOut?.absent !== undefined) return undefined;
  const exempt = service.absent?.exempt ?? {};
  const metrics: Metric[] = [
    ...serviceSelectors(service).map(({ selector }) => selector.metric),
    ...(service.alerts ?? []).flatMap((alert) => (alert.expr.kind === 'promql' ? (alert.expr.metrics ?? []) : [])),
  ];
  return {
    targets: { ...defaultAbsent.targets, ...service.absent?.targets },
    metrics: { ...defaultAbsent.metrics, ...service.absent?.metrics },
    series: [...new Set(metrics.filter((metric) => !(metric.name in exempt)).map(presenceSeries))].sort(),
  };
}
