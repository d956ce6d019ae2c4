import { z } from 'zod';
import { durationSeconds } from '../model/duration.ts';

// Field shapes that several definition schemas share.

export const identifier = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, "-" or "_", starting with a letter');
export const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'is not a valid Prometheus label name');
export const duration = z.string().refine((text) => durationSeconds(text) !== undefined, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a Prometheus duration like "5m" or "30d"`,
});
