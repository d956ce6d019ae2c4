import { z } from 'zod';
import { durationSeconds } from '../model/duration.ts';
import { severities } from '../model/severity.ts';

// Field shapes that several definition schemas share.

export const identifier = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, "-" or "_", starting with a letter');
export const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'is not a valid Prometheus label name');
export const duration = z.string().refine((text) => durationSeconds(text) !== undefined, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a Prometheus duration like "5m" or "30d"`,
});

export const finite = z.number().refine(Number.isFinite, 'must be a finite number');
export const severity = z.enum(severities);

export const metric = z.object({
  kind: z.enum(['counter', 'gauge', 'histogram']),
  name: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'is not a valid Prometheus metric name'),
  help: z.string().min(1, 'must not be empty'),
  unit: z.string(),
  labels: z.array(labelName),
  buckets: z.array(finite).optional(),
});

const matcher = z.union([z.string(), z.object({ op: z.enum(['=', '!=', '=~', '!~']), value: z.string() })]);
export const selector = z.object({ metric, matchers: z.record(z.string(), matcher) });

/** A level per severity. */
export const levels = z.object(Object.fromEntries(severities.map((each) => [each, finite.optional()]))).strict();

export const escalation = z.object({ after: duration, to: severity }).strict();
