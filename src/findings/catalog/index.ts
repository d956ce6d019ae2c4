import type { FindingKind } from '../kind.ts';
import * as alerts from './alerts.ts';
import * as check from './check.ts';
import { dashboardLint } from './dashboard-lint.ts';
import * as dashboards from './dashboards.ts';
import * as definitions from './definitions.ts';
import * as live from './live.ts';
import * as metrics from './metrics.ts';
import * as playbooks from './playbooks.ts';
import * as policies from './policies.ts';
import * as references from './references.ts';
import * as routing from './routing.ts';
import * as rules from './rules.ts';
import * as schema from './schema.ts';
import * as slos from './slos.ts';
import * as targets from './targets.ts';
import * as validators from './validators.ts';

/** Every finding kind, in the order docs/reference/findings.md lists them (by id). */
export const findingKinds: readonly FindingKind<readonly never[]>[] = [
  definitions,
  schema,
  references,
  metrics,
  slos,
  alerts,
  policies,
  playbooks,
  routing,
  rules,
  targets,
  dashboards,
  live,
  validators,
  check,
  dashboardLint,
]
  .flatMap((module) => Object.values(module) as FindingKind<readonly never[]>[])
  .sort((a, b) => (a.id < b.id ? -1 : 1));
