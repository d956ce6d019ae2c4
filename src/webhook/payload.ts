import { z } from 'zod';

// Alertmanager's webhook payload, version 4 (the only one up to current releases).
const labels = z.record(z.string(), z.string());
const time = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time' });

const alert = z.object({
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
  alerts: z.array(alert),
});

export type Payload = z.infer<typeof payloadSchema>;
export type Alert = Payload['alerts'][number];

/** `alerts[0].fingerprint: must not be empty` — the first problem, for the 400 reply. */
export function payloadError(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
  return `${path || 'payload'}: ${issue.message}`;
}
