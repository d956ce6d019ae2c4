import type { ThresholdAlert } from './alert.ts';
import type { Selector } from './selector.ts';
import type { Service } from './service.ts';
import type { PolicyAlertKind } from './signals.ts';

// An alert written without `covers` may still be exactly the signal a policy asks for: a
// quantile or mean of the service's own latency histogram, or its errors over its requests.
// Coverage counts it, and says the match was inferred.

export interface InferredCoverage {
  readonly kind: PolicyAlertKind;
  /** What matched, e.g. `p95 of traffic.latency`. */
  readonly because: string;
}

const sameSelector = (a: Selector, b: Selector): boolean =>
  a.metric.name === b.metric.name && JSON.stringify(sortedEntries(a.matchers)) === JSON.stringify(sortedEntries(b.matchers));

const sortedEntries = (record: Readonly<Record<string, unknown>>): [string, unknown][] =>
  Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The signal an alert without `covers` measures on its service's traffic, if it is one. */
export function inferredCoverage(service: Pick<Service, 'traffic'>, alert: ThresholdAlert): InferredCoverage | undefined {
  const traffic = service.traffic;
  if (!traffic || alert.covers !== undefined || alert.policy !== undefined) return undefined;
  const expr = alert.expr;
  if ((expr.kind === 'quantile' || expr.kind === 'average') && traffic.latency && sameSelector(expr.histogram, traffic.latency)) {
    const what = expr.kind === 'quantile' ? `p${Number((expr.quantile * 100).toPrecision(6))}` : 'mean';
    return { kind: 'latency', because: `${what} of traffic.latency` };
  }
  if (expr.kind === 'ratio' && sameSelector(expr.numerator, traffic.errors) && sameSelector(expr.denominator, traffic.requests)) {
    return { kind: 'errorRatio', because: 'traffic.errors over traffic.requests' };
  }
  return undefined;
}
