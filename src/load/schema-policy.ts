import { z } from 'zod';
import { optOutSignals, resourceKinds } from '../model/signals.ts';
import { duration, escalation, finite, identifier, levels, selector, severity } from './schema-common.ts';
import { checkLevels } from './levels.ts';
import { durationSeconds } from '../model/duration.ts';

// Shapes of policies, the resource catalog and what a service says about its coverage
// (opt-outs, its own resource gauges, absent detection). Cross-references are checked in
// checks-policy.ts.

const reason = z.string().trim().min(1, 'give the reason (coverage shows it)');
const absentRule = z.object({ severity, for: duration }).strict();
const resourceGauges = z.object({ used: selector, capacity: selector }).strict();
const resourceMap = Object.fromEntries(resourceKinds.map((resource) => [resource, resourceGauges.optional()]));

const scrape = z.union([
  z.literal(false),
  z
    .object({
      targets: z
        .array(z.string().regex(/^[^\s/:]+:[0-9]+$/, 'must be "host:port"'))
        .min(1, 'needs at least one target (leave targets out for file-based discovery)')
        .optional(),
      metricsPath: z
        .string()
        .regex(/^\/\S*$/, 'must be an absolute path like "/metrics"')
        .optional(),
      scheme: z.enum(['http', 'https']).optional(),
      interval: duration.refine((text) => durationSeconds(text)! >= 1, 'must be at least 1s').optional(),
    })
    .strict(),
]);

/** Fields added to the service schema. */
export const serviceCoverageShape = {
  scrape: scrape.optional(),
  optOut: z
    .object(Object.fromEntries(optOutSignals.map((signal) => [signal, reason.optional()])))
    .strict()
    .optional(),
  resources: z.object(resourceMap).strict().optional(),
  absent: z
    .object({
      targets: absentRule.partial().optional(),
      metrics: absentRule.partial().optional(),
      exempt: z.record(z.string(), reason).optional(),
    })
    .strict()
    .optional(),
};

export const resourcesSchema = z.object({ kind: z.literal('resources'), ...resourceMap }).strict();

/** Levels in percent of something (requests, targets, capacity): above 0 and below 100. */
const percentLevels = levels.superRefine((value, context) => {
  for (const [severityName, level] of Object.entries(value)) {
    if (level !== undefined && !(level > 0 && level < 100))
      context.addIssue({ code: 'custom', path: [severityName], message: `${level} is not a percentage between 0 and 100 (exclusive)` });
  }
});
const positiveLevels = levels.superRefine((value, context) => {
  for (const [severityName, level] of Object.entries(value)) {
    if (level !== undefined && !(level > 0))
      context.addIssue({ code: 'custom', path: [severityName], message: `${level} must be above 0` });
  }
});

/** Levels, `for` and escalation, with the checks alerts get (order, escalation above the mildest level). */
function leveled<S extends z.core.$ZodLooseShape>(levelSchema: z.ZodType, shape: S) {
  return z
    .object({ levels: levelSchema, for: duration.optional(), escalate: escalation.optional(), ...shape })
    .strict()
    .superRefine((value, context) => {
      const settings = value as { levels: Record<string, number>; escalate?: z.infer<typeof escalation> };
      checkLevels(settings.levels, 'above', settings.escalate, (path, said) =>
        context.addIssue({ code: 'custom', path, message: said.text, params: { finding: said.id } }),
      );
    });
}

const window = { window: duration.optional() };
const forecast = z.object({ horizon: duration, lookback: duration.optional(), severity, for: duration.optional() }).strict();

export const policySchema = z
  .object({
    kind: z.literal('policy'),
    name: identifier,
    description: z.string().optional(),
    tiers: z
      .array(z.enum(['critical', 'high', 'medium', 'low']))
      .min(1, 'needs at least one tier (leave tiers out for the platform default)')
      .refine((tiers) => new Set(tiers).size === tiers.length, 'lists a tier twice')
      .optional(),
    errorRatio: leveled(percentLevels, window).optional(),
    latency: z
      .discriminatedUnion('kind', [
        leveled(positiveLevels, {
          kind: z.literal('quantile'),
          quantile: finite.refine((q) => q > 0 && q < 1, 'must be between 0 and 1 (exclusive): write 0.95 for p95'),
          ...window,
        }),
        leveled(positiveLevels, { kind: z.literal('spike'), ...window }),
      ])
      .optional(),
    liveness: leveled(percentLevels, {}).optional(),
    saturation: z
      .object(
        Object.fromEntries(
          resourceKinds.map((resource) => [resource, leveled(percentLevels, { forecast: forecast.optional() }).optional()]),
        ),
      )
      .strict()
      .optional(),
    absent: z.object({ targets: absentRule.optional(), metrics: absentRule.optional() }).strict().optional(),
  })
  .strict();
