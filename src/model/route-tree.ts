import type { Duration } from './duration.ts';
import type { GlobalSettings, IntegrationSettings, IntegrationType } from './integrations.ts';
import type { TimeInterval } from './time-interval.ts';

// An Alertmanager routing tree written out route by route: for routing that is not team ×
// severity (what `monforge import` makes of an alertmanager.yml). Alerts labelled with a team
// of the project still follow that team's routing; every other alert walks this tree.

/** One route: Alertmanager's fields; `matchers` in its syntax, one per item (`severity = critical`). */
export interface TreeRoute<R extends string = string, I extends string = string> {
  /** Default: the parent's. */
  readonly receiver?: R;
  readonly matchers?: readonly string[];
  /** Go on to the next sibling after this route matched. */
  readonly continue?: boolean;
  /** `['...']` groups by every label. Default: the parent's. */
  readonly groupBy?: readonly string[];
  readonly groupWait?: Duration;
  readonly groupInterval?: Duration;
  readonly repeatInterval?: Duration;
  readonly muteTimeIntervals?: readonly I[];
  readonly activeTimeIntervals?: readonly I[];
  readonly routes?: readonly TreeRoute<R, I>[];
}

/** A receiver: its integrations by type, each with Alertmanager's own settings (secrets only as `*_file`). */
export type ReceiverIntegrations = { readonly [T in IntegrationType as `${T}_configs`]?: readonly IntegrationSettings<T>[] };

/** While an alert matching `sourceMatchers` fires, alerts matching `targetMatchers` with the same `equal` labels are muted. */
export interface TreeInhibitRule {
  readonly sourceMatchers: readonly string[];
  readonly targetMatchers: readonly string[];
  readonly equal?: readonly string[];
}

/** A label set and the receivers it must reach, in tree order: an `amtool config routes test` case. */
export interface RouteTest<R extends string = string> {
  readonly labels: Readonly<Record<string, string>>;
  readonly receivers: readonly R[];
}

/** An Alertmanager routing tree written route by route: what `defineRouteTree` returns (at most one). */
export interface RouteTree<R extends string = string, I extends string = string> {
  readonly kind: 'routeTree';
  /** The root route: it catches every alert no child takes. */
  readonly route: TreeRoute<R, I> & { readonly receiver: R };
  readonly receivers: { readonly [K in R]: ReceiverIntegrations };
  readonly inhibitRules?: readonly TreeInhibitRule[];
  readonly timeIntervals?: { readonly [K in I]: TimeInterval };
  /** Alertmanager's `global` settings; those `defineConfig({ alertmanager })` sets must not be set here too. */
  readonly global?: GlobalSettings;
  /** Notification template files (`templates:`), absolute paths on the Alertmanager host. */
  readonly templates?: readonly string[];
  readonly tests?: readonly RouteTest<R>[];
}

type Options<R extends string, I extends string> = Omit<RouteTree<R, I>, 'kind' | 'route' | 'tests'> & {
  readonly route: TreeRoute<NoInfer<R>, NoInfer<I>> & { readonly receiver: NoInfer<R> };
  readonly tests?: readonly RouteTest<NoInfer<R>>[];
};

/** Receiver and time interval names are checked: a route naming one that is not defined does not compile. */
export function defineRouteTree<const R extends string, const I extends string = never>(options: Options<R, I>): RouteTree {
  return { kind: 'routeTree', ...options } as RouteTree;
}
