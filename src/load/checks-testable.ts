import { ratioSeries, sliSeries, thresholdSeries } from '../derive/test-series.ts';
import type { Sourced } from '../model/platform.ts';
import type { Service } from '../model/service.ts';
import { untestable } from '../findings/catalog/alerts.ts';
import { definitionError, type DefinitionError } from './errors.ts';

/**
 * Every alert ships with promtool tests built from synthetic series; a selector shape we cannot
 * build series for (e.g. errors not a subset of the total) is reported here, at load, with its place.
 */
export function checkTestable(service: Service & Sourced, report: (error: DefinitionError) => void): void {
  const attempt = (path: string[], build: () => unknown): void => {
    try {
      build();
    } catch (error) {
      report(definitionError(service.source, [`service "${service.name}"`, ...path], untestable((error as Error).message)));
    }
  };
  const traffic = service.traffic;
  if (traffic) attempt(['traffic'], () => ratioSeries(service, traffic.errors, traffic.requests, 0.5, {}, 1));
  for (const slo of service.slos ?? []) attempt([`slo "${slo.name}"`], () => sliSeries(service, slo, 0.5, 1));
  for (const alert of service.alerts ?? []) {
    for (const level of Object.values(alert.levels))
      attempt([`alert "${alert.name}"`, 'expr'], () => thresholdSeries(service, alert.expr, level!, 1));
  }
}
