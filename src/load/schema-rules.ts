import { z } from 'zod';
import { duration, identifier, labelName, selector, severity } from './schema-common.ts';
import { thresholdExpr } from './schema.ts';

// Rule groups of the definitions' own (defineRuleGroup) and the severity values they use
// (defineSeverities).

const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'is not a valid Prometheus metric name');

type PromqlTextShape = { kind: 'pql'; strings: string[]; values: unknown[] };
const promqlText: z.ZodType<PromqlTextShape> = z.lazy(() =>
  z.object({ kind: z.literal('pql'), strings: z.array(z.string()), values: z.array(z.union([selector, promqlText])) }),
);
const comparison = z.object({ kind: z.literal('comparison'), expr: thresholdExpr, op: z.enum(['>', '<']), value: z.number() }).strict();
const expr = z.union([z.string().trim().min(1, 'must not be empty'), promqlText, comparison, thresholdExpr], {
  error: 'must be PromQL text, pql`…` or a typed helper',
});
const labels = z.record(labelName, z.string());
const texts = z.record(z.string(), z.string());

const series = z.object({ series: z.string().min(1), values: z.string() }).strict();
const alertCase = z
  .object({
    name: z.string().min(1, 'must not be empty'),
    interval: duration.optional(),
    series: z.array(series),
    at: duration,
    fires: z.array(z.object({ labels: texts, annotations: texts }).strict()),
  })
  .strict();

const alertRule = z
  .object({
    kind: z.literal('alert'),
    name: metricName,
    expr,
    for: duration.optional(),
    keepFiringFor: duration.optional(),
    labels: labels.optional(),
    annotations: texts.optional(),
    tests: z.array(alertCase).optional(),
    untested: z.string().min(1, 'must say why').optional(),
  })
  .strict();

const recordRule = z.object({ kind: z.literal('record'), name: metricName, expr, labels: labels.optional() }).strict();

export const ruleGroupSchema = z
  .object({
    kind: z.literal('ruleGroup'),
    name: z.string().min(1, 'must not be empty'),
    service: identifier,
    team: identifier,
    interval: duration.optional(),
    limit: z.number().int().min(0).optional(),
    rules: z.array(z.discriminatedUnion('kind', [alertRule, recordRule])),
  })
  .strict();

export const severitiesSchema = z
  .object({
    kind: z.literal('severities'),
    map: z.record(z.string().regex(/^\S+$/, 'must be a label value without spaces'), severity),
  })
  .strict();
