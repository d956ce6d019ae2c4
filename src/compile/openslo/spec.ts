import { z } from 'zod';

// OpenSLO v1 (https://github.com/OpenSLO/OpenSLO, README "Specification"), the objects monforge
// writes and reads, with the rules of the reference validator, the OpenSLO Go SDK
// (github.com/OpenSLO/go-sdk pkg/openslo/v1, Apache-2.0): its data model, not its code. The
// JSON Schemas in the OpenSLO repository are not used: they are incomplete (no RatioTimeslices,
// no targetPercent, parts missing, `rationMetric` for `ratioMetric`). Unknown fields are
// errors, as in a strict decoder, so a misspelt field is never silently ignored.

export const apiVersion = 'openslo/v1';

/** RFC 1123 label: what every OpenSLO name must at least be. */
const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be an RFC 1123 label: lower-case letters, digits and "-"');
const labelKey = /^[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const annotationKey =
  /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*\/)?[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const description = z.string().max(1050, 'must be at most 1050 characters');
/** A positive integer and one of m h d w M Q Y. */
export const durationShorthand = z.string().regex(/^[1-9][0-9]*[mhdwMQY]$/, 'must be a duration shorthand such as 30d, 4w or 1M');

const metadata = z
  .object({
    name: dnsLabel,
    displayName: z.string().max(63, 'must be at most 63 characters').optional(),
    labels: z.record(z.string().regex(labelKey, 'is not a valid label key'), z.union([z.string(), z.array(z.string())])).optional(),
    annotations: z.record(z.string().regex(annotationKey, 'is not a valid annotation key'), z.string()).optional(),
  })
  .strict();

const metricSource = z
  .object({
    metricSourceRef: dnsLabel.optional(),
    type: z.string().optional(),
    spec: z.record(z.string(), z.unknown()).refine((spec) => Object.keys(spec).length > 0, 'must not be empty'),
  })
  .strict();
const metricSpec = z.object({ metricSource }).strict();

const ratioMetric = z
  .object({
    counter: z.boolean().optional(),
    good: metricSpec.optional(),
    bad: metricSpec.optional(),
    total: metricSpec.optional(),
    rawType: z.enum(['success', 'failure']).optional(),
    raw: metricSpec.optional(),
  })
  .strict()
  .superRefine((ratio, context) => {
    const issue = (message: string): void => context.addIssue({ code: 'custom', message });
    if ((ratio.total === undefined) === (ratio.raw === undefined)) issue('must have exactly one of total and raw');
    else if (ratio.total && (ratio.good === undefined) === (ratio.bad === undefined))
      issue('must have exactly one of good and bad with total');
    else if (ratio.raw && (ratio.good || ratio.bad)) issue('raw cannot be used with good or bad');
    else if (ratio.raw && ratio.rawType === undefined) issue('rawType is required with raw');
  });

export const sliSpec = z
  .object({ description: description.optional(), thresholdMetric: metricSpec.optional(), ratioMetric: ratioMetric.optional() })
  .strict()
  .refine(
    (spec) => (spec.thresholdMetric === undefined) !== (spec.ratioMetric === undefined),
    'must have exactly one of thresholdMetric and ratioMetric',
  );

const inlineIndicator = z.object({ metadata, spec: sliSpec }).strict();

const timeWindow = z
  .object({
    duration: durationShorthand,
    isRolling: z.boolean().optional(),
    calendar: z
      .object({
        startTime: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must be a date and time like "2020-01-21 12:30:00"'),
        timeZone: z.string().min(1),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((window) => (window.isRolling === true) !== (window.calendar !== undefined), {
    error: "'calendar' must be set exactly when 'isRolling' is not true",
  });

const objective = z
  .object({
    displayName: z.string().optional(),
    op: z.enum(['lt', 'lte', 'gt', 'gte']).optional(),
    value: z.number().optional(),
    target: z.number().min(0).lt(1, 'must be below 1').optional(),
    targetPercent: z.number().min(0).lt(100, 'must be below 100').optional(),
    timeSliceTarget: z.number().gt(0).max(1).optional(),
    timeSliceWindow: z.union([durationShorthand, z.number().positive()]).optional(),
    indicator: inlineIndicator.optional(),
    indicatorRef: dnsLabel.optional(),
    compositeWeight: z.number().positive().optional(),
  })
  .strict()
  .refine(
    (each) => (each.target === undefined) !== (each.targetPercent === undefined),
    'must have exactly one of target and targetPercent',
  );

const alertPolicy = z.union([
  z.object({ alertPolicyRef: dnsLabel }).strict(),
  z.object({ kind: z.literal('AlertPolicy'), metadata, spec: z.record(z.string(), z.unknown()) }).strict(),
]);

export const sloSpec = z
  .object({
    description: description.optional(),
    service: z.string().min(1, 'is required'),
    indicator: inlineIndicator.optional(),
    indicatorRef: dnsLabel.optional(),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
    timeWindow: z.array(timeWindow).length(1, 'must have exactly one item').optional(),
    objectives: z.array(objective).min(1, 'must have at least one objective'),
    alertPolicies: z.array(alertPolicy).nullish(),
  })
  .strict()
  .superRefine((spec, context) => {
    const composite = spec.objectives.some((each) => each.indicator || each.indicatorRef);
    const direct = spec.indicator !== undefined || spec.indicatorRef !== undefined;
    if (composite === direct)
      context.addIssue({
        code: 'custom',
        message: "'indicator' or 'indicatorRef' must be set on the spec or on every objective (composite), not both and not neither",
      });
    if (spec.indicator && spec.indicatorRef) context.addIssue({ code: 'custom', message: 'must not have both indicator and indicatorRef' });
    spec.objectives.forEach((each, index) => {
      const missing = (field: string): void =>
        context.addIssue({
          code: 'custom',
          path: ['objectives', index, field],
          message: `is required with budgetingMethod ${spec.budgetingMethod}`,
        });
      if (spec.budgetingMethod === 'Timeslices' && each.timeSliceTarget === undefined) missing('timeSliceTarget');
      if (spec.budgetingMethod !== 'Occurrences' && each.timeSliceWindow === undefined) missing('timeSliceWindow');
    });
  });

const object = <K extends string, S extends z.ZodType>(kind: K, spec: S) =>
  z.object({ apiVersion: z.literal(apiVersion), kind: z.literal(kind), metadata, spec }).strict();

export const sloObject = object('SLO', sloSpec);
export const sliObject = object('SLI', sliSpec);
export const serviceObject = object('Service', z.object({ description: description.optional() }).strict());
export const dataSourceObject = object(
  'DataSource',
  z.object({ description: description.optional(), type: z.string().min(1, 'is required'), connectionDetails: z.unknown() }).strict(),
);

/** The kinds OpenSLO v1 defines; monforge reads SLO, SLI, DataSource and Service. */
export const openSloKinds = ['SLO', 'SLI', 'DataSource', 'Service', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'] as const;

export const objectSchemas: Partial<Record<(typeof openSloKinds)[number], z.ZodType>> = {
  SLO: sloObject,
  SLI: sliObject,
  DataSource: dataSourceObject,
  Service: serviceObject,
};

export type OpenSloSlo = z.infer<typeof sloObject>;
export type OpenSloSli = z.infer<typeof sliObject>;
export type OpenSloService = z.infer<typeof serviceObject>;
export type OpenSloDataSource = z.infer<typeof dataSourceObject>;
export type OpenSloMetricSource = z.infer<typeof metricSource>;
export type OpenSloSliSpec = z.infer<typeof sliSpec>;

/**
 * The problems of one OpenSLO v1 object, each as `path: message` (empty when it is valid).
 * Kinds monforge does not read are checked for their envelope only.
 */
export function openSloProblems(value: unknown): string[] {
  const kind = (value as { kind?: unknown } | null)?.kind;
  const schema = typeof kind === 'string' ? objectSchemas[kind as keyof typeof objectSchemas] : undefined;
  const envelope = z.object({ apiVersion: z.literal(apiVersion), kind: z.enum(openSloKinds), metadata, spec: z.unknown() }).strict();
  const result = (schema ?? envelope).safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.') || '(object)'}: ${issue.message}`);
}
