import { z } from 'zod';
import type { FieldPath, InputDocument } from '../document.ts';
import { serviceName } from '../rules/owner.ts';
import { carriedAnnotations, carriedLabels } from './metadata.ts';
import { sliFromBadAndTotal, sliFromErrorRatio, type Recognized } from './sli.ts';
import type { ImportedSlo, ImportedTier, Origin, Sink } from './types.ts';

// Sloth's specs (https://sloth.dev/specs/): `version: prometheus/v1` files and the Kubernetes
// `PrometheusServiceLevel` (also Google's `ManagedPrometheusServiceLevel`), the same fields in
// camelCase. Unknown fields are refused by name: a newer Sloth feature must not be dropped.

/** Sloth's YAML spells fields in snake_case, its CRD in camelCase; user maps keep their keys. */
const snakeFields: Record<string, string> = {
  error_query: 'errorQuery',
  total_query: 'totalQuery',
  error_ratio_query: 'errorRatioQuery',
  page_alert: 'pageAlert',
  ticket_alert: 'ticketAlert',
  slo_plugins: 'sloPlugins',
  info_labels: 'infoLabels',
};
const userMaps = new Set(['labels', 'annotations', 'infoLabels', 'options', 'config', 'metadata']);

const camelToSnake = Object.fromEntries(Object.entries(snakeFields).map(([snake, camel]) => [camel, snake]));

/** A path of the camelCase spec as the document spells it, for its line. */
function spelled(value: unknown, path: FieldPath): FieldPath {
  let node = value;
  return path.map((key) => {
    const record = (node ?? {}) as Record<string | number, unknown>;
    const spelling =
      typeof key === 'string' && !(key in record) && camelToSnake[key] !== undefined && camelToSnake[key]! in record
        ? camelToSnake[key]!
        : key;
    node = record[spelling];
    return spelling;
  });
}

function camelFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelFields);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      const name = snakeFields[key] ?? key;
      return [name, userMaps.has(name) ? inner : camelFields(inner)];
    }),
  );
}

/** Labels and annotations; an unquoted `tier: 2` or `generated: true` is the text it reads as. */
const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
const alert = z.object({ disable: z.boolean().optional(), labels: stringMap.optional(), annotations: stringMap.optional() }).strict();
const plugins = z.object({}).loose();
const slo = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    objective: z.number(),
    labels: stringMap.optional(),
    infoLabels: stringMap.optional(),
    sli: z
      .object({
        events: z.object({ errorQuery: z.string(), totalQuery: z.string() }).strict().optional(),
        raw: z.object({ errorRatioQuery: z.string() }).strict().optional(),
        plugin: z
          .object({ id: z.string(), options: z.record(z.string(), z.unknown()).optional() })
          .strict()
          .optional(),
      })
      .strict(),
    alerting: z
      .object({
        name: z.string().optional(),
        labels: stringMap.optional(),
        annotations: stringMap.optional(),
        pageAlert: alert.optional(),
        ticketAlert: alert.optional(),
      })
      .strict()
      .optional(),
    interval: z.object({ all: z.string(), slierror: z.string(), metadata: z.string(), alert: z.string() }).partial().strict().optional(),
    plugins: plugins.optional(),
  })
  .strict();
const spec = z
  .object({ service: z.string().min(1), labels: stringMap.optional(), slos: z.array(slo), sloPlugins: plugins.optional() })
  .strict();

type SlothSpec = z.infer<typeof spec>;
type SlothSlo = z.infer<typeof slo>;

/** Whether a YAML document is a Sloth spec, and which kind. */
export function slothFormat(document: unknown): string | undefined {
  if (document === null || typeof document !== 'object') return undefined;
  const { version, apiVersion, kind } = document as Record<string, unknown>;
  if (version === 'prometheus/v1') return 'Sloth prometheus/v1';
  if (typeof apiVersion === 'string' && apiVersion.startsWith('sloth.slok.dev/')) return `Sloth ${String(kind)}`;
  return undefined;
}

/** The SLOs of one Sloth spec document; what cannot be imported goes to the sink. */
export function readSloth(document: InputDocument, format: string, sink: Sink): ImportedSlo[] {
  const record = document.value as Record<string, unknown>;
  const kind = record.kind;
  const crd = kind !== undefined;
  const located = (path: FieldPath): FieldPath => spelled(document.value, path);
  const place = {
    document,
    path: [],
    object: crd
      ? `${String(kind)} "${String((record.metadata as { name?: unknown } | undefined)?.name)}"`
      : `service "${String(record.service)}"`,
  };
  if (crd && kind !== 'PrometheusServiceLevel' && kind !== 'ManagedPrometheusServiceLevel') {
    sink.refuse(
      place,
      kind === 'AlertWindows'
        ? "Sloth's custom alert windows: monforge derives its burn-rate windows from each SLO's window"
        : `unknown Sloth kind ${String(kind)}`,
    );
    return [];
  }
  const base: FieldPath = crd ? ['spec'] : [];
  const body = camelFields(crd ? record.spec : omit(record, 'version'));
  const parsed = spec.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      sink.refuse(
        place,
        `${issue.path.join('.')}: ${issue.message.replace(/^Unrecognized key/, 'unknown field')}`,
        located([...base, ...issue.path.filter((key) => typeof key !== 'symbol')]),
      );
    return [];
  }
  if (parsed.data.sloPlugins)
    sink.refuse(
      place,
      "SLO plugins (sloPlugins) rewrite Sloth's generated rules; monforge cannot represent what they do",
      located([...base, 'sloPlugins']),
    );
  return parsed.data.slos.flatMap((each, index) => {
    const origin: Origin = {
      document,
      path: [...base, 'slos', index],
      object: `service "${parsed.data.service}" › slo "${each.name}"`,
      format,
    };
    return readSlo(parsed.data, each, origin, sink) ?? [];
  });
}

const omit = (record: Record<string, unknown>, key: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));

function sliOf(each: SlothSlo): Recognized {
  const { events, raw, plugin } = each.sli;
  const kinds = [events, raw, plugin].filter(Boolean).length;
  if (kinds !== 1) return { reason: 'sli must have exactly one of events, raw and plugin' };
  if (plugin)
    return {
      reason: `Sloth SLI plugin "${plugin.id}" writes its own PromQL, which monforge cannot read: write the SLI as events (errorQuery, totalQuery)`,
    };
  if (raw) return sliFromErrorRatio(raw.errorRatioQuery, 'sloth', 'sli.raw.errorRatioQuery');
  return sliFromBadAndTotal(events!.errorQuery, events!.totalQuery, 'sloth', {
    bad: 'sli.events.errorQuery',
    total: 'sli.events.totalQuery',
  });
}

function readSlo(service: SlothSpec, each: SlothSlo, origin: Origin, sink: Sink): ImportedSlo | undefined {
  const refuse = (message: string, field: FieldPath = []): undefined => void sink.refuse(origin, message, field);
  const note = (message: string): void => sink.note(origin, message);
  if (each.plugins) return refuse("SLO plugins rewrite Sloth's generated rules; monforge cannot represent what they do", ['plugins']);
  if (!(each.objective > 0 && each.objective < 100))
    return refuse(
      `objective ${each.objective} leaves ${each.objective >= 100 ? 'no' : 'all of the'} error budget: monforge objectives are between 0 and 100 %`,
      ['objective'],
    );
  const sli = sliOf(each);
  if ('reason' in sli) return refuse(sli.reason, each.sli.plugin ? ['sli', 'plugin'] : ['sli']);

  const name = serviceName(each.name);
  const serviceId = serviceName(service.service);
  if (name !== each.name) note(`named "${name}" (monforge names are lower-case identifiers)`);
  if (serviceId !== service.service) note(`service named "${serviceId}" (monforge names are lower-case identifiers)`);
  if (each.interval)
    note(
      "interval not carried: monforge's SLO rules read 5m aggregates and run at the global evaluation interval (the windows of a day and more every 2m)",
    );
  if (each.infoLabels) note('infoLabels not carried: monforge records no sloth_slo_info series');

  const labels = carriedLabels({ ...service.labels, ...each.labels }, origin, 'SLO', sink);
  const series = ['service', 'slo', ...Object.keys(labels ?? {})];
  const alerting = each.alerting ?? {};
  // Sloth's page alerts are its critical ones, tickets its warnings: monforge's own severities.
  const tier = (options: z.infer<typeof alert> | undefined, which: 'page' | 'ticket'): ImportedTier | undefined => {
    const carried: ImportedTier = {
      ...(options?.disable && { disabled: true }),
      ...definedOnly({
        labels: carriedLabels({ ...alerting.labels, ...options?.labels }, origin, `${which} alert`, sink, {
          severity: which === 'page' ? 'critical' : 'warning',
        }),
        annotations: carriedAnnotations(options?.annotations, series, origin, `${which} alert`, sink),
      }),
    };
    return Object.keys(carried).length > 0 ? carried : undefined;
  };
  const tiers = definedOnly({ page: tier(alerting.pageAlert, 'page'), ticket: tier(alerting.ticketAlert, 'ticket') });
  let alertName = alerting.name;
  if (alertName !== undefined && !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(alertName)) {
    note(`alert name "${alertName}" not carried: not a valid alert name`);
    alertName = undefined;
  }
  return {
    origin,
    service: serviceId,
    ...definedOnly({ team: each.labels?.team ?? service.labels?.team }),
    name,
    ...(each.description && { description: each.description }),
    objective: each.objective,
    sli: sli.sli,
    ...definedOnly({
      labels,
      alertName,
      annotations: carriedAnnotations(alerting.annotations, series, origin, 'alerts', sink),
      tiers: Object.keys(tiers).length > 0 ? tiers : undefined,
    }),
  };
}

/** The entries whose value is defined. */
export function definedOnly<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
