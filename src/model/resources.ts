import type { Gauge } from './metric.ts';
import type { Selector } from './selector.ts';
import type { ResourceKind } from './signals.ts';
import { made } from './made.ts';

/** How full a resource is: two gauges in the same unit, compared as a percentage. */
export interface ResourceGauges {
  readonly used: Selector<Gauge>;
  readonly capacity: Selector<Gauge>;
}

/** Per resource, the gauges that measure it on every service (a service may name its own). */
export type ResourceMap = { readonly [R in ResourceKind]?: ResourceGauges };

/** The platform's resource catalog: what saturation policies read; at most one. */
export interface ResourceCatalog extends ResourceMap {
  readonly kind: 'resources';
}

/** The resource catalog saturation policies read (at most one). */
export function defineResources(options: ResourceMap): ResourceCatalog {
  return made({ kind: 'resources', ...options });
}

/** The gauges of a resource on a service: its own, else the catalog's. */
export function serviceResource(
  service: { readonly resources?: ResourceMap },
  catalog: ResourceMap | undefined,
  resource: ResourceKind,
): ResourceGauges | undefined {
  return service.resources?.[resource] ?? catalog?.[resource];
}
