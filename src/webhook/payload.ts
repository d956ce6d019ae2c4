import { z } from 'zod';

// Alertmanager's webhook payload, version 4 (the only one up to current releases).
const labels = z.record(z.string(), z.string());
const time = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time' });

export const alertSchema = z.object({
  // The alert's own status: the payload's top-level one is "firing" as long as any alert of
  // the group fires, including the ones `max_alerts` truncated away.
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: labels,
  startsAt: time,
  endsAt: time,
  generatorURL: z.string(),
  fingerprint: z.string().min(1, 'must not be empty'),
});

export const payloadSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  // Arrives regex-escaped by some versions: informative only, never used for routing.
  receiver: z.string(),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: z.string(),
  alerts: z.array(alertSchema),
});

export type Payload = z.infer<typeof payloadSchema>;
export type Alert = Payload['alerts'][number];

/** `alerts[0].fingerprint: must not be empty` — the first problem, for the 400 reply. */
export function payloadError(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
  return `${path || 'payload'}: ${issue.message}`;
}

/**
 * What `JSON.parse` returned as a payload (what `payloadSchema` outputs), or the first problem
 * for the 400 reply. A valid payload takes a hand-written check that accepts exactly what the
 * schema accepts and copies what it keeps, several times faster than the schema; anything
 * else goes through the schema, which words the error. test/webhook/payload.test.ts holds the
 * two to the same answers.
 */
export function parsePayload(json: unknown): Payload | string {
  const fast = validPayload(json);
  if (fast !== undefined) return fast;
  const parsed = payloadSchema.safeParse(json);
  return parsed.success ? parsed.data : payloadError(parsed.error);
}

type Plain = { readonly [key: string]: unknown };

/** An object as JSON.parse makes them (the schema also takes some others: those go through it). */
function isPlain(value: unknown): value is Plain {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

const datetime = time._zod.def.pattern;
const isTime = (value: unknown): value is string =>
  typeof value === 'string' && (datetime ? datetime.test(value) : time.safeParse(value).success);
const isStatus = (value: unknown): value is 'firing' | 'resolved' => value === 'firing' || value === 'resolved';

/** `labels`' output: the own keys but `__proto__` (which the schema drops whatever its value). */
function validLabels(value: unknown): Record<string, string> | undefined {
  if (!isPlain(value)) return undefined;
  const copy: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') continue;
    const item = value[key];
    if (typeof item !== 'string') return undefined;
    copy[key] = item;
  }
  return copy;
}

function validAlert(value: unknown): Alert | undefined {
  if (!isPlain(value)) return undefined;
  const { status, startsAt, endsAt, generatorURL, fingerprint } = value;
  if (
    !isStatus(status) ||
    !isTime(startsAt) ||
    !isTime(endsAt) ||
    typeof generatorURL !== 'string' ||
    typeof fingerprint !== 'string' ||
    fingerprint.length === 0
  )
    return undefined;
  const labels = validLabels(value.labels);
  const annotations = labels && validLabels(value.annotations);
  return annotations && { status, labels: labels!, annotations, startsAt, endsAt, generatorURL, fingerprint };
}

function validPayload(value: unknown): Payload | undefined {
  if (!isPlain(value)) return undefined;
  const { version, groupKey, truncatedAlerts, status, receiver, externalURL, alerts } = value;
  if (
    version !== '4' ||
    typeof groupKey !== 'string' ||
    !isStatus(status) ||
    typeof receiver !== 'string' ||
    typeof externalURL !== 'string' ||
    !Array.isArray(alerts)
  )
    return undefined;
  if (
    truncatedAlerts !== undefined &&
    !(typeof truncatedAlerts === 'number' && Number.isSafeInteger(truncatedAlerts) && truncatedAlerts >= 0)
  )
    return undefined;
  const groupLabels = validLabels(value.groupLabels);
  const commonLabels = groupLabels && validLabels(value.commonLabels);
  const commonAnnotations = commonLabels && validLabels(value.commonAnnotations);
  if (!commonAnnotations) return undefined;
  const copies: Alert[] = [];
  for (const alert of alerts as unknown[]) {
    const copy = validAlert(alert);
    if (!copy) return undefined;
    copies.push(copy);
  }
  return {
    version,
    groupKey,
    ...(truncatedAlerts === undefined ? {} : { truncatedAlerts }),
    status,
    receiver,
    groupLabels: groupLabels!,
    commonLabels: commonLabels!,
    commonAnnotations,
    externalURL,
    alerts: copies,
  };
}
