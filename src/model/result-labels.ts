import type { ThresholdExpr } from './expr.ts';
import type { Service } from './service.ts';

/**
 * Labels on the series a threshold expression returns: the service's target labels (kept by
 * every aggregation so `$labels.job` works) plus the `by` labels, in that order.
 */
export function resultLabels(service: Pick<Service, 'selector'>, expr: ThresholdExpr): string[] {
  if (expr.kind === 'promql') return Object.keys(expr.resultLabels ?? {});
  if (expr.kind === 'baseline') return resultLabels(service, expr.current);
  return groupingLabels(service, expr.by ?? []);
}

export function groupingLabels(service: Pick<Service, 'selector'>, by: readonly string[]): string[] {
  return [...new Set([...Object.keys(service.selector).sort(), ...by])];
}
