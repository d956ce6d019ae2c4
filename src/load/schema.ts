import { z } from 'zod';
import { duration, escalation, finite, identifier, labelName, levels, metric, selector } from './schema-common.ts';
import { serviceCoverageShape } from './schema-policy.ts';
import { configRoutingShape, teamRoutingShape } from './schema-routing.ts';
import { targetsSchema } from './schema-targets.ts';
import { alertHealthSignals } from '../model/health-signal.ts';
import { policyAlertKinds } from '../model/signals.ts';
import { gaugeBounds } from '../model/slo.ts';

// Shape checks for what definitions export. The TypeScript types catch most mistakes at
// compile time; these catch the rest (casts, plain JS, values computed at run time).

const camelCase = z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be CamelCase (letters and digits, starting upper-case)');
const groupBy = z.array(labelName).optional();

const average = z.object({ kind: z.literal('average'), histogram: selector, by: groupBy, window: duration.optional() });
const gaugeExpr = z.object({ kind: z.literal('gauge'), gauge: selector, aggregate: z.enum(['max', 'min', 'avg', 'sum']), by: groupBy });
const rate = z.object({ kind: z.literal('rate'), counter: selector, by: groupBy, window: duration.optional() });

export const thresholdExpr = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ratio'), numerator: selector, denominator: selector, by: groupBy, window: duration.optional() }),
  z.object({ kind: z.literal('quantile'), quantile: finite, histogram: selector, by: groupBy, window: duration.optional() }),
  average,
  z.object({ kind: z.literal('gaugePercent'), used: selector, capacity: selector, by: groupBy }),
  gaugeExpr,
  rate,
  z.object({
    kind: z.literal('forecast'),
    used: selector,
    capacity: selector,
    horizon: duration,
    lookback: duration.optional(),
    by: groupBy,
  }),
  z.object({
    kind: z.literal('baseline'),
    current: z.discriminatedUnion('kind', [rate, average, gaugeExpr]),
    offset: duration,
    minimum: finite.optional(),
  }),
  z.object({
    kind: z.literal('promql'),
    expr: z.string().min(1, 'must not be empty'),
    unit: z.enum(['percent', 'seconds', 'bytes', 'per_second', 'ratio', 'none']),
    resultLabels: z.record(labelName, z.string()).optional(),
    testSeries: z.custom<(value: number) => unknown>((value) => typeof value === 'function', 'must be a function (value) => test series'),
    metrics: z.array(metric).optional(),
  }),
]);

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
  covers: z.enum(policyAlertKinds).optional(),
  escalate: escalation.optional(),
  policy: z.undefined({ error: 'is set by monforge on the alerts a policy generates; to replace a policy alert, set covers' }).optional(),
});

const labelMap = z.record(labelName, z.string());
const tier = z
  .object({ disabled: z.boolean().optional(), for: duration.optional(), labels: labelMap.optional(), annotations: labelMap.optional() })
  .strict();
const sloCommon = {
  name: identifier,
  description: z.string().optional(),
  objective: finite,
  window: duration.optional(),
  tiers: z.object({ page: tier.optional(), ticket: tier.optional() }).strict().optional(),
  labels: labelMap.optional(),
  alertName: z
    .string()
    .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be letters, digits and "_", not starting with a digit')
    .optional(),
  annotations: labelMap.optional(),
};
const gaugeBound = z
  .object(Object.fromEntries(gaugeBounds.map((bound) => [bound, finite.optional()])))
  .strict()
  .refine((bound) => Object.values(bound).filter((value) => value !== undefined).length === 1, {
    error: `must set exactly one of ${gaugeBounds.join(', ')}`,
  });
const slo = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ratio'), total: selector, errors: selector.optional(), good: selector.optional(), ...sloCommon }),
  z.object({ kind: z.literal('latency'), histogram: selector, threshold: finite, ...sloCommon }),
  z.object({ kind: z.literal('gauge'), gauge: selector, good: z.union([z.literal('value'), gaugeBound]), ...sloCommon }),
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
  ...serviceCoverageShape,
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
