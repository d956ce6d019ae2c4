import { z } from 'zod';
import { inlineSecret as inlineSecretFinding } from '../findings/catalog/schema.ts';
import type { Said } from '../findings/kind.ts';
import { durationSeconds } from '../model/duration.ts';
import { minRepeatInterval } from '../model/routing.ts';
import { severities } from '../model/severity.ts';
import { clockMinutes, isTimeZone, localMinutes, months, weekdays } from '../model/time-interval.ts';
import { duration, identifier, labelName } from './schema-common.ts';

// Shapes of receivers, team notification, the routing policy and Alertmanager's global
// settings. Secrets may only be file paths: the keys people reach for when pasting a secret
// inline are rejected with the file-based alternative.

const secretFile = z
  .string()
  .regex(/^\/\S+$/, 'must be the absolute path of a file holding the secret, like "/etc/alertmanager/secrets/slack"');

// `continue: false`: the object's own checks (exactly one key file) would only repeat the point.
const inlineSecretIssue = (said: Said) => ({ code: 'custom' as const, message: said.text, params: { finding: said.id }, continue: false });

/** A key that must stay absent: the secret it would hold belongs in the file `fileKey` names. */
const inlineSecret = (fileKey: string) =>
  z
    .unknown()
    .superRefine((value, context) => {
      if (value !== undefined) context.addIssue(inlineSecretIssue(inlineSecretFinding(`put the secret in a file and set ${fileKey}`)));
    })
    .optional();

/** A strict object that also names the file-based key for each inline secret key. */
function secretSafe<S extends z.core.$ZodLooseShape>(shape: S, inline: Record<string, string>): z.ZodObject {
  return z
    .object({ ...shape, ...Object.fromEntries(Object.entries(inline).map(([key, fileKey]) => [key, inlineSecret(fileKey)])) })
    .strict();
}

/** Alertmanager 0.25 has no `url_file`, so a URL must not carry a credential. */
const publicUrl = z.url({ protocol: /^https?$/ }).superRefine((text, context) => {
  const url = new URL(text);
  const secretParam = [...url.searchParams.keys()].find((key) => /token|key|secret|password|signature|sig$/i.test(key));
  if (url.username || url.password)
    context.addIssue(inlineSecretIssue(inlineSecretFinding('remove the user:password from the URL and set credentialsFile')));
  else if (secretParam)
    context.addIssue(inlineSecretIssue(inlineSecretFinding(`remove the "${secretParam}" query parameter and set credentialsFile`)));
});

const delivery = { sendResolved: z.boolean().optional() };
const webhookShape = { ...delivery, url: publicUrl, credentialsFile: secretFile.optional() };
const webhookSecrets = {
  credentials: 'credentialsFile',
  token: 'credentialsFile',
  bearerToken: 'credentialsFile',
  password: 'credentialsFile',
};

export const receiverSchema = z.discriminatedUnion('kind', [
  secretSafe(
    {
      kind: z.literal('slack'),
      ...delivery,
      channel: z.string().regex(/^[#@]\S+$/, 'must be a "#channel" or "@user"'),
      apiUrlFile: secretFile,
    },
    { apiUrl: 'apiUrlFile', api_url: 'apiUrlFile', url: 'apiUrlFile' },
  ),
  secretSafe(
    { kind: z.literal('email'), ...delivery, to: z.email() },
    { password: 'config.alertmanager.smtp.authPasswordFile', authPassword: 'config.alertmanager.smtp.authPasswordFile' },
  ),
  secretSafe(
    { kind: z.literal('pagerduty'), ...delivery, routingKeyFile: secretFile.optional(), serviceKeyFile: secretFile.optional() },
    { routingKey: 'routingKeyFile', serviceKey: 'serviceKeyFile', routing_key: 'routingKeyFile', service_key: 'serviceKeyFile' },
  ).refine(
    (value) => (value.routingKeyFile === undefined) !== (value.serviceKeyFile === undefined),
    'needs exactly one of routingKeyFile and serviceKeyFile',
  ),
  secretSafe({ kind: z.literal('webhook'), ...webhookShape }, webhookSecrets),
  secretSafe({ kind: z.literal('pager'), ...webhookShape }, webhookSecrets),
]);

const receivers = z.array(receiverSchema).min(1, 'needs at least one receiver');
const receiverNames = z.array(z.string()).min(1, 'needs at least one receiver');

/** Fields added to the team schema. */
export const teamRoutingShape = {
  receivers: z.record(identifier, receiverSchema),
  notify: z.object({ critical: receiverNames, high: receiverNames, warning: receiverNames, info: receiverNames.optional() }).strict(),
};

const timeRange = z
  .object({ start: z.string(), end: z.string() })
  .strict()
  .superRefine((range, context) => {
    const start = clockMinutes(range.start);
    const end = clockMinutes(range.end);
    for (const [key, value, minutes] of [
      ['start', range.start, start],
      ['end', range.end, end],
    ] as const) {
      if (minutes === undefined)
        context.addIssue({ code: 'custom', path: [key], message: `${JSON.stringify(value)} is not a time from "00:00" to "24:00"` });
    }
    if (start !== undefined && end !== undefined && start >= end) {
      context.addIssue({
        code: 'custom',
        message: `start ${range.start} must be before end ${range.end} (a range never crosses midnight: split it in two)`,
      });
    }
  });

/**
 * A list item `a` or `a:b` of values that `position` turns into ordered numbers, the way
 * Alertmanager parses weekdays, days of month, months and years.
 */
function rangeList(what: string, position: (value: string) => number | undefined, ordered: (start: number, end: number) => boolean) {
  return z.array(
    z.union([z.string(), z.number()]).superRefine((item, context) => {
      const [first = '', second, ...rest] = String(item).split(':');
      const bounds = [first, second ?? first].map((part) => position(part.trim()));
      if (rest.length > 0 || bounds.some((bound) => bound === undefined)) {
        context.addIssue({ code: 'custom', message: `${JSON.stringify(item)} is not a ${what} or a range "start:end" of them` });
      } else if (!ordered(bounds[0]!, bounds[1]!)) {
        context.addIssue({ code: 'custom', message: `${JSON.stringify(item)}: the start of a range must not be after its end` });
      }
    }),
  );
}

const indexIn =
  (names: readonly string[]) =>
  (value: string): number | undefined =>
    names.includes(value) ? names.indexOf(value) : undefined;
const integerIn =
  (low: number, high: number) =>
  (value: string): number | undefined =>
    /^-?[0-9]+$/.test(value) && Number(value) >= low && Number(value) <= high && Number(value) !== 0 ? Number(value) : undefined;

const timePeriod = z
  .object({
    times: z.array(timeRange).optional(),
    weekdays: rangeList('weekday', indexIn(weekdays), (start, end) => start <= end).optional(),
    // Alertmanager: a negative start needs a negative end; `1:-1` (first to last day) is fine.
    daysOfMonth: rangeList('day of month (1 to 31, or -31 to -1 from the end)', integerIn(-31, 31), (start, end) =>
      start < 0 === end < 0 ? start <= end : start > 0,
    ).optional(),
    months: rangeList('month name', indexIn(months), (start, end) => start <= end).optional(),
    years: rangeList('year', integerIn(1, 9999), (start, end) => start <= end).optional(),
  })
  .strict();

const timeZone = z.string().refine(isTimeZone, { error: (issue) => `unknown time zone ${JSON.stringify(issue.input)}` });

export const timeInterval = z
  .object({ timeZone: timeZone.optional(), periods: z.array(timePeriod).min(1, 'needs at least one period') })
  .strict();

const localDateTime = z.string().refine((text) => localMinutes(text) !== undefined, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a date and time like "2026-06-14T00:00"`,
});

const eventWindow = z
  .object({
    name: identifier,
    start: localDateTime,
    end: localDateTime,
    timeZone,
    leadTime: z
      .string()
      .regex(/^[0-9]+[mh]$/, 'must be whole minutes or hours, like "90m" or "2h"')
      .optional(),
    services: z.array(z.string()).min(1, 'needs at least one critical-path service'),
  })
  .strict()
  .superRefine((event, context) => {
    const start = localMinutes(event.start);
    const end = localMinutes(event.end);
    if (start !== undefined && end !== undefined && start >= end) {
      context.addIssue({ code: 'custom', path: ['end'], message: `must be after start (${event.start})` });
    }
  });

/**
 * `definitions/events.json`: the critical event windows as data, so a team can add its event
 * days without editing code. `$schema` is allowed for editors.
 */
export const eventsFileSchema = z.object({ $schema: z.string().optional(), events: z.array(z.unknown()) }).strict();
/** Each event of the events file on its own, so one bad event does not hide the others' problems. */
export { eventWindow as eventSchema };

const ladderRung = z
  .object({
    groupWait: duration.optional(),
    groupInterval: duration.optional(),
    repeatInterval: duration
      .refine(
        (text) => (durationSeconds(text) ?? Infinity) >= durationSeconds(minRepeatInterval)!,
        `must be at least ${minRepeatInterval}: identical alerts are not re-sent within ${minRepeatInterval} (duplicate suppression)`,
      )
      .optional(),
  })
  .strict();

export const routingSchema = z
  .object({
    kind: z.literal('routing'),
    stakeholders: receivers.optional(),
    digest: z
      .object({
        receivers,
        during: z.array(z.string()).optional(),
        maxHold: duration.refine((text) => durationSeconds(text)! > 0, 'must be longer than 0s').optional(),
      })
      .strict()
      .optional(),
    ladder: z
      .object(Object.fromEntries(severities.map((severity) => [severity, ladderRung.optional()])))
      .strict()
      .optional(),
    environmentLabels: z.array(labelName).optional(),
    timeIntervals: z.record(identifier, timeInterval).optional(),
    maintenance: z
      .array(
        z
          .object({ interval: z.string(), teams: z.array(z.string()).min(1).optional(), services: z.array(z.string()).min(1).optional() })
          .strict(),
      )
      .optional(),
    events: z.array(eventWindow).optional(),
  })
  .strict();

/** Fields added to the config schema. */
export const configRoutingShape = {
  alertmanager: z
    .object({
      resolveTimeout: duration.optional(),
      smtp: secretSafe(
        {
          from: z.email(),
          smarthost: z.string().regex(/^[^\s:]+:[0-9]+$/, 'must be "host:port"'),
          authUsername: z.string().optional(),
          authPasswordFile: secretFile.optional(),
          requireTls: z.boolean().optional(),
        },
        { authPassword: 'authPasswordFile', password: 'authPasswordFile' },
      ).optional(),
    })
    .strict()
    .optional(),
  remediation: secretSafe(
    { url: publicUrl, credentialsFile: secretFile },
    { token: 'credentialsFile', credentials: 'credentialsFile', bearerToken: 'credentialsFile' },
  ).optional(),
};
