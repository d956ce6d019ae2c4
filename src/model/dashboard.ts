import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { made } from './made.ts';
import type { Metric } from './metric.ts';
import { renderMatchers, type Selector } from './selector.ts';

/** A dashboard of your own (a team's, an imported one), built with the foundation SDK. */
export interface DashboardDefinition {
  readonly kind: 'dashboard';
  /**
   * The Grafana folder it lands in: `generated/grafana/dashboards/<folder>/<uid>.json`. A team's
   * name puts it beside that team's service dashboards.
   */
  readonly folder: string;
  /** A `DashboardBuilder`, or a function returning one (called once per `generate`). The builder sets the uid. */
  readonly build: Builder<Dashboard> | (() => Builder<Dashboard>);
  /**
   * Metrics its PromQL reads that no service declares. The dashboard lint checks every series a
   * query selects, and every label it matches, against the definitions.
   */
  readonly metrics?: readonly Metric[];
}

/** A defined dashboard as load built it: what the compilers and checks read. */
export interface BuiltDashboard {
  readonly folder: string;
  readonly uid: string;
  readonly title: string;
  /** The builder's output, unchanged. */
  readonly json: Dashboard;
  readonly metrics: readonly Metric[];
}

/**
 * A dashboard of your own, built with `@grafana/grafana-foundation-sdk`: rendered to
 * `generated/grafana/dashboards/<folder>/<uid>.json` and provisioned, packaged, applied, diffed
 * and linted with the dashboards monforge derives. `monforge import` writes these from Grafana's JSON.
 */
export function defineDashboard(options: Omit<DashboardDefinition, 'kind'>): DashboardDefinition {
  return made({ kind: 'dashboard', ...options });
}

/**
 * PromQL text with typed selectors in it: `` query`sum(rate(${select(requests, { code: re('5..') })}[$__rate_interval]))` ``.
 * A selector renders as `http_requests_total{code=~"5.."}`; its label names are checked when the
 * definitions compile. Anything else is inserted as text.
 */
export function query(text: TemplateStringsArray, ...parts: readonly (Selector | string | number)[]): string {
  return text.reduce((out, piece, index) => {
    const part = parts[index - 1]!;
    const rendered =
      typeof part !== 'object'
        ? String(part)
        : `${part.metric.name}${Object.keys(part.matchers).length > 0 ? renderMatchers(part.matchers) : ''}`;
    return `${out}${rendered}${piece}`;
  });
}
