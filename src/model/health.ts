import type { ThresholdAlert } from './alert.ts';
import type { ThresholdExpr } from './expr.ts';
import type { AlertHealthSignal, HealthSignal } from './health-signal.ts';
import type { Severity } from './severity.ts';
import type { Slo } from './slo.ts';

// The health score of the dashboards of docs/design.md: 0–100 = availability 40 % + performance 30 % +
// error rate 20 % + resource usage 10 %. Each component (model/health-signal.ts) is a ratio in
// [0, 1]: availability is the share of the service's targets that are up (0 while its outage
// alert fires); the others are 1 minus the penalty of the most severe alert of that kind firing.

/** Weights in percent; they add up to 100, so the score is a percentage. */
export const healthWeights: Record<HealthSignal, number> = { availability: 40, performance: 30, errors: 20, resources: 10 };

/** How much a firing alert of each severity takes off its component. */
export const severityPenalty: Record<Severity, number> = { critical: 1, high: 0.75, warning: 0.5, info: 0.25 };

/**
 * The component a threshold alert counts against, from what it measures: latency and
 * throughput are performance, ratios of counters are error rates, gauges are resources.
 */
export function alertHealthSignal(alert: ThresholdAlert): AlertHealthSignal {
  return alert.healthSignal ?? exprHealthSignal(alert.expr);
}

function exprHealthSignal(expr: ThresholdExpr): AlertHealthSignal {
  switch (expr.kind) {
    case 'ratio':
      return 'errors';
    case 'quantile':
    case 'average':
    case 'rate':
      return 'performance';
    case 'gaugePercent':
    case 'gauge':
    case 'forecast':
      return 'resources';
    case 'baseline':
      return exprHealthSignal(expr.current);
    case 'promql':
      return expr.unit === 'seconds' || expr.unit === 'per_second' ? 'performance' : 'resources';
  }
}

/** A latency SLO burning its budget is a performance problem; any other SLO, an error-rate one. */
export const sloHealthSignal = (slo: Slo): AlertHealthSignal => (slo.kind === 'latency' ? 'performance' : 'errors');

/** The platform-level rule file is named like a service's, so no service may take this name. */
export const platformHealthName = 'platform-health';
