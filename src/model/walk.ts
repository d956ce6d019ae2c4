import type { ThresholdExpr } from './expr.ts';
import type { Selector } from './selector.ts';
import type { Service } from './service.ts';

/** Every selector a service uses, with the field path it sits at (for messages). */
export function serviceSelectors(service: Service): { path: string[]; selector: Selector }[] {
  const found: { path: string[]; selector: Selector }[] = [];
  if (service.traffic) {
    found.push({ path: ['traffic', 'requests'], selector: service.traffic.requests });
    found.push({ path: ['traffic', 'errors'], selector: service.traffic.errors });
    if (service.traffic.latency) found.push({ path: ['traffic', 'latency'], selector: service.traffic.latency });
  }
  for (const slo of service.slos ?? []) {
    const at = `slo "${slo.name}"`;
    if (slo.kind === 'latency') found.push({ path: [at, 'histogram'], selector: slo.histogram });
    else if (slo.kind === 'gauge') found.push({ path: [at, 'gauge'], selector: slo.gauge });
    else {
      found.push({ path: [at, 'total'], selector: slo.total });
      if (slo.errors) found.push({ path: [at, 'errors'], selector: slo.errors });
      if (slo.good) found.push({ path: [at, 'good'], selector: slo.good });
    }
  }
  for (const alert of service.alerts ?? []) {
    for (const [field, selector] of thresholdSelectors(alert.expr))
      found.push({ path: [`alert "${alert.name}"`, 'expr', field], selector });
  }
  return found;
}

/** The selectors of a threshold expression, each with the field it sits in. */
export function thresholdSelectors(expr: ThresholdExpr): [string, Selector][] {
  switch (expr.kind) {
    case 'ratio':
      return [
        ['numerator', expr.numerator],
        ['denominator', expr.denominator],
      ];
    case 'quantile':
    case 'average':
      return [['histogram', expr.histogram]];
    case 'gaugePercent':
      return [
        ['used', expr.used],
        ['capacity', expr.capacity],
      ];
    case 'gauge':
      return [['gauge', expr.gauge]];
    case 'rate':
      return [['counter', expr.counter]];
    case 'forecast':
      return [
        ['used', expr.used],
        ['capacity', expr.capacity],
      ];
    case 'baseline':
      return thresholdSelectors(expr.current).map(([field, selector]) => [`current.${field}`, selector]);
    case 'promql':
      return [];
  }
}
