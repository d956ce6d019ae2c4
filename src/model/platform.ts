import type { PlatformConfig } from './config.ts';
import type { BuiltDashboard } from './dashboard.ts';
import type { Metric } from './metric.ts';
import type { Playbook } from './playbook.ts';
import type { Policy } from './policy.ts';
import type { ResourceCatalog } from './resources.ts';
import type { RouteTree } from './route-tree.ts';
import type { RuleGroup } from './rule-group.ts';
import type { Routing } from './routing.ts';
import type { Service } from './service.ts';
import type { Severities } from './severity.ts';
import type { Team } from './team.ts';

/** Where a definition came from, for error messages and generated-file headers. */
export interface Sourced {
  readonly source: string;
}

/** The whole validated platform: the only input of every compiler. */
export interface Platform {
  readonly config: PlatformConfig & Sourced;
  readonly teams: readonly (Team & Sourced)[];
  /** Each service with the alerts its policies give it (model/policy.ts) and its absent settings filled in. */
  readonly services: readonly (Service & Sourced)[];
  readonly policies: readonly (Policy & Sourced)[];
  /** The resource catalog saturation policies read; absent when none is defined. */
  readonly resources?: ResourceCatalog & Sourced;
  readonly playbooks: readonly (Playbook & Sourced)[];
  /** The routing policy; absent means the defaults (no stakeholders, digest, intervals or events). */
  readonly routing?: Routing & Sourced;
  /** Rule groups of the definitions' own (imported ones among them), in file order. */
  readonly ruleGroups?: readonly (RuleGroup & Sourced)[];
  /** An Alertmanager routing tree written route by route (at most one), for alerts of no team of the project. */
  readonly routeTree?: RouteTree & Sourced;
  /** Severity label values beyond the four, with the one each behaves as. */
  readonly severities?: Severities & Sourced;
  /** Data files read with the definitions (the events file), for generated-file headers. */
  readonly dataFiles?: readonly string[];
  /** The dashboards of `defineDashboard`, built. */
  readonly dashboards: readonly (BuiltDashboard & Sourced)[];
  /** Every metric referenced by a selector (of a service or a rule group), by name. */
  readonly metrics: ReadonlyMap<string, Metric>;
}
