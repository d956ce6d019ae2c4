import { z } from 'zod';
import { newerAlertmanager } from '../findings/catalog/rules.ts';
import { inlineSecret } from '../findings/catalog/schema.ts';
import type { Said } from '../findings/kind.ts';
import { globalShape, inlineSecrets, integrationShapes, newerKeys, type Shape } from '../model/integrations.ts';
import { duration, labelName } from './schema-common.ts';
import { timeInterval } from './schema-routing.ts';

// defineRouteTree: routes, receivers with Alertmanager 0.25's integrations key for key (an
// inline secret or a newer release's key is an error that says what to write instead),
// inhibit rules, time intervals, global settings and route tests.

const secretFile = z.string().regex(/^\/\S+$/, 'must be the absolute path of a file holding the secret');

/** A strict object of a shape: each field of its kind; an inline secret or a newer key named with what to do. */
export function shapeSchema(shape: Shape, at: string): z.ZodType {
  const fields: Record<string, z.ZodType> = {};
  for (const [key, kind] of Object.entries(shape)) {
    fields[key] = (
      Array.isArray(kind)
        ? z.array(shapeSchema(kind[0] as Shape, key))
        : typeof kind === 'object'
          ? shapeSchema(kind as Shape, key)
          : fieldSchema(kind as string)
    ).optional();
  }
  for (const [key, file] of Object.entries(inlineSecrets[at] ?? {}))
    fields[key] = absent(inlineSecret(file ? `put it in a file and set ${file}` : 'Alertmanager 0.25 reads this one from no file'));
  for (const [key, release] of Object.entries(newerKeys[at] ?? {})) fields[key] = absent(newerAlertmanager(release));
  return z.object(fields).strict();
}

/** A key that must stay absent, and the finding when it is there. */
function absent(said: Said): z.ZodType {
  return z
    .unknown()
    .superRefine((value, context) => {
      if (value !== undefined) context.addIssue({ code: 'custom', message: said.text, params: { finding: said.id } });
    })
    .optional();
}

function fieldSchema(kind: string): z.ZodType {
  switch (kind) {
    case 'bool':
      return z.boolean();
    case 'int':
      return z.number().int();
    case 'duration':
      return duration;
    case 'file':
      return secretFile;
    case 'strings':
      return z.array(z.string());
    case 'map':
      return z.record(z.string(), z.string());
    case 'url':
      return z.url();
    default:
      return z.string();
  }
}

const matchers = z.array(z.string());
const names = z.array(z.string());

type RouteShape = { [key: string]: unknown };
const route: z.ZodType<RouteShape> = z.lazy(() =>
  z
    .object({
      receiver: z.string().min(1).optional(),
      matchers: matchers.optional(),
      continue: z.boolean().optional(),
      groupBy: z.array(z.union([labelName, z.literal('...')])).optional(),
      groupWait: duration.optional(),
      groupInterval: duration.optional(),
      repeatInterval: duration.optional(),
      muteTimeIntervals: names.optional(),
      activeTimeIntervals: names.optional(),
      routes: z.array(route).optional(),
    })
    .strict(),
);

const receiver = z
  .object({
    ...Object.fromEntries(
      Object.entries(integrationShapes).map(([type, shape]) => [`${type}_configs`, z.array(shapeSchema(shape, type)).optional()]),
    ),
    ...Object.fromEntries(Object.entries(newerKeys.receiver ?? {}).map(([key, release]) => [key, absent(newerAlertmanager(release))])),
  })
  .strict();

export const routeTreeSchema = z
  .object({
    kind: z.literal('routeTree'),
    route,
    receivers: z.record(z.string().min(1), receiver),
    inhibitRules: z
      .array(z.object({ sourceMatchers: matchers, targetMatchers: matchers, equal: z.array(labelName).optional() }).strict())
      .optional(),
    timeIntervals: z.record(z.string().min(1), timeInterval).optional(),
    global: shapeSchema(globalShape, 'global').optional(),
    templates: z.array(z.string().min(1)).optional(),
    tests: z.array(z.object({ labels: z.record(labelName, z.string()), receivers: z.array(z.string()) }).strict()).optional(),
  })
  .strict();
