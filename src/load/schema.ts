import { z } from 'zod';
import { duration, identifier, labelName } from './schema-common.ts';
import { configRoutingShape, teamRoutingShape } from './schema-routing.ts';
import { targetsSchema } from './schema-targets.ts';
import { severities } from '../model/severity.ts';
import { alertHealthSignals } from '../model/health-signal.ts';

// Shape checks for what definitions export. The TypeScript types catch most mistakes at
// compile time; these catch the rest (casts, plain JS, values computed at run time).

const camelCase = z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be CamelCase (letters and digits, starting upper-case)');
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const metric = z.object({
  kind: z.enum(['counter', 'gauge', 'histogram']),
  name: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'is not a valid Prometheus metric name'),
  help: z.string().min(1, 'must not be empty'),
  unit: z.string(),
  labels: z.array(labelName),
  buckets: z.array(finite).optional(),
});

const matcher = z.union([z.string(), z.object({ op: z.enum(['=', '!=', '=~', '!~']), value: z.string() })]);
const selector = z.object({ metric, matchers: z.record(z.string(), matcher) });
const groupBy = z.array(labelName).optional();

const thresholdExpr = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ratio'), numerator: selector, denominator: selector, by: groupBy, window: duration.optional() }),
  z.object({ kind: z.literal('quantile'), quantile: finite, histogram: selector, by: groupBy, window: duration.optional() }),
  z.object({ kind: z.literal('average'), histogram: selector, by: groupBy, window: duration.optional() }),
  z.object({ kind: z.literal('gaugePercent'), used: selector, capacity: selector, by: groupBy }),
  z.object({ kind: z.literal('gauge'), gauge: selector, aggregate: z.enum(['max', 'min', 'avg', 'sum']), by: groupBy }),
  z.object({ kind: z.literal('rate'), counter: selector, by: groupBy, window: duration.optional() }),
  z.object({
    kind: z.literal('promql'),
    expr: z.string().min(1, 'must not be empty'),
    unit: z.enum(['percent', 'seconds', 'bytes', 'per_second', 'ratio', 'none']),
    resultLabels: z.record(labelName, z.string()).optional(),
    testSeries: z.custom<(value: number) => unknown>((value) => typeof value === 'function', 'must be a function (value) => test series'),
    metrics: z.array(metric).optional(),
  }),
]);

const levels = z.object(Object.fromEntries(severities.map((severity) => [severity, finite.optional()]))).strict();

const alert = z.object({
  name: camelCase,
  expr: thresholdExpr,
  direction: z.enum(['above', 'below']).optional(),
  levels,
  for: duration.optional(),
  summary: z.string().min(1, 'must not be empty'),
  description: z.string().min(1, 'must not be empty'),
  runbook: z.url().optional(),
  healthSignal: z.enum(alertHealthSignals).optional(),
});

const tier = z.object({ disabled: z.boolean().optional(), for: duration.optional() }).strict();
const sloCommon = {
  name: identifier,
  description: z.string().optional(),
  objective: finite,
  window: duration.optional(),
  tiers: z.object({ page: tier.optional(), ticket: tier.optional() }).strict().optional(),
};
const slo = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ratio'), total: selector, errors: selector.optional(), good: selector.optional(), ...sloCommon }),
  z.object({ kind: z.literal('latency'), histogram: selector, threshold: finite, ...sloCommon }),
]);

export const serviceSchema = z.object({
  kind: z.literal('service'),
  name: identifier,
  description: z.string().optional(),
  team: identifier,
  tier: z.enum(['critical', 'high', 'medium', 'low']),
  dependsOn: z.array(z.string()).optional(),
  selector: z.record(labelName, z.string()),
  traffic: z.object({ requests: selector, errors: selector, latency: selector.optional() }).optional(),
  slos: z.array(slo).optional(),
  alerts: z.array(alert).optional(),
});

export const teamSchema = z.object({ kind: z.literal('team'), name: identifier, description: z.string().optional(), ...teamRoutingShape });

export const configSchema = z.object({
  kind: z.literal('config'),
  runbookBaseUrl: z.url(),
  outageEvaluationInterval: z
    .string()
    .regex(/^[1-9][0-9]*s$/, 'must be whole seconds like "10s"')
    .optional(),
  evaluationInterval: duration.optional(),
  outageKeepFiringFor: duration.optional(),
  grafanaBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  grafanaDashboardsPath: z
    .string()
    .regex(/^\/\S*$/, 'must be an absolute path on the Grafana host, like "/var/lib/grafana/dashboards"')
    .optional(),
  ...configRoutingShape,
  targets: targetsSchema.optional(),
});

// Shared with the receiver's check of the compiled playbooks.json.
export { playbookDefinitionSchema as playbookSchema } from './playbook-file.ts';
