// generated/remediation/playbooks.json: the contract between the remediation compiler, which
// writes it with every default filled in, and the webhook receiver, which refuses to start
// on a file this schema rejects. The definition schema is the same with the defaults optional.
import { z } from 'zod';
import { durationSeconds, type Duration } from '../model/duration.ts';
import type { JsonValue } from '../model/playbook.ts';
import { severities } from '../model/severity.ts';
import { identifier, labelName } from './schema-common.ts';

export const playbookFileVersion = 1;

const absolutePath = z.templateLiteral(['/', z.string()], 'must be an absolute path');
const duration = z.custom<Duration>((value) => typeof value === 'string' && durationSeconds(value) !== undefined, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a duration like "10s" or "5m"`,
});
const positiveDuration = duration.refine((value) => durationSeconds(value)! > 0, 'must be longer than 0s');

const prefix = z
  .string()
  .regex(/^[\t\x20-\x7e]*$/, 'must be printable ASCII')
  .optional();
const secretSource = z.union([
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'is not an environment variable name'), prefix }).strict(),
  z.object({ file: absolutePath, prefix }).strict(),
]);
const json: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);

const httpAction = z
  .object({
    kind: z.literal('http'),
    name: identifier,
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    url: z.string().min(1, 'must not be empty'),
    headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'is not an HTTP header name'), secretSource),
    body: json.optional(),
    timeout: positiveDuration,
    retries: z.number().int().min(0).max(10),
    backoff: duration,
  })
  .strict();
const execAction = z
  .object({
    kind: z.literal('exec'),
    name: identifier,
    argv: z.tuple([absolutePath], z.string()),
    timeout: positiveDuration,
    killAfter: positiveDuration,
  })
  .strict();
const logAction = z.object({ kind: z.literal('log'), name: identifier, message: z.string() }).strict();

const match = z
  .object({ alertname: z.string().min(1).optional(), service: identifier.optional(), severity: z.enum(severities).optional() })
  .strict()
  .refine((value) => Object.keys(value).length > 0, 'must match on at least one of alertname, service, severity');

/** The fields a playbook has in both forms; `action` is the full or the defaults-optional action. */
function playbookFields<A extends z.ZodType>(action: A) {
  return {
    name: identifier,
    description: z.string().optional(),
    match,
    allowExec: z.array(absolutePath),
    actions: z.array(action).min(1, 'needs at least one action'),
    verify: z
      .object({ query: z.string().min(1, 'must not be empty'), within: positiveDuration, interval: positiveDuration })
      .strict()
      .optional(),
    onFailure: z.object({ rollback: z.array(action), escalate: z.boolean() }).strict(),
    onResolved: z.array(action),
    target: z.array(labelName),
    cooldown: duration,
    maxRunsPerHour: z.number().int().min(1),
  };
}

const action = z.discriminatedUnion('kind', [httpAction, execAction, logAction]);
const playbook = z.object({ ...playbookFields(action), source: z.string() }).strict();

export const playbookFileSchema = z.object({ version: z.literal(playbookFileVersion), playbooks: z.array(playbook) }).strict();
export type PlaybookFile = z.infer<typeof playbookFileSchema>;
export type CompiledPlaybook = z.infer<typeof playbook>;
export type CompiledAction = z.infer<typeof action>;

/** What definitions may export: the same shapes with every default optional. */
export const playbookDefinitionSchema = (() => {
  const optionalAction = z.discriminatedUnion('kind', [
    httpAction.partial({ method: true, headers: true, timeout: true, retries: true, backoff: true }),
    execAction.partial({ timeout: true, killAfter: true }),
    logAction,
  ]);
  const fields = playbookFields(optionalAction);
  return z
    .object({
      ...fields,
      kind: z.literal('playbook'),
      verify: z
        .object({ query: fields.verify.unwrap().shape.query, within: positiveDuration.optional(), interval: positiveDuration.optional() })
        .strict()
        .optional(),
      onFailure: fields.onFailure.partial().optional(),
    })
    .strict()
    .partial({ allowExec: true, onResolved: true, target: true, cooldown: true, maxRunsPerHour: true });
})();
