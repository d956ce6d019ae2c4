import { z } from 'zod';
import {
  openSloProblems,
  type OpenSloDataSource,
  type OpenSloMetricSource,
  type OpenSloService,
  type OpenSloSli,
  type OpenSloSliSpec,
  type OpenSloSlo,
} from '../../compile/openslo/spec.ts';
import { alertingAnnotation, alertNameAnnotation, selectorAnnotation, sloNameAnnotation } from '../../compile/openslo/annotations.ts';
import { mul, rational, toDecimal } from '../../model/decimal.ts';
import { isDuration, type Duration } from '../../model/duration.ts';
import type { InputDocument } from '../document.ts';
import { serviceName } from '../rules/owner.ts';
import { carriedAnnotations, carriedLabels } from './metadata.ts';
import {
  sliFromBadAndTotal,
  sliFromErrorRatio,
  sliFromGoodAndTotal,
  sliFromSuccessGauge,
  sliFromThreshold,
  type QueryForm,
  type Recognized,
} from './sli.ts';
import { definedOnly } from './sloth.ts';
import type { ImportedSlo, ImportedTier, Origin, Place, Sink } from './types.ts';

// OpenSLO: `openslo/v1alpha` as Sloth reads it (ratioMetrics with `{{.window}}` queries) and
// `openslo/v1` SLOs with an inline or referenced SLI (`ratioMetric` or `thresholdMetric`) over
// Prometheus. Budgeting by time slices and other data sources are refused by name.

export function openSloFormat(value: unknown): string | undefined {
  const version = (value as { apiVersion?: unknown } | null)?.apiVersion;
  if (version === 'openslo/v1alpha') return 'OpenSLO v1alpha';
  if (version === 'openslo/v1') return 'OpenSLO v1';
  return undefined;
}

/** The object a document holds, as messages name it: `SLO "search-slo"`. */
const placeOf = (document: InputDocument): Place => {
  const { kind, metadata } = document.value as { kind?: unknown; metadata?: { name?: unknown } };
  return { document, path: [], object: `${String(kind)} "${String(metadata?.name)}"` };
};

/** A rolling window in monforge's units; months, quarters and years have no fixed length. */
function rollingWindow(duration: string): Duration | { reason: string } {
  const match = /^([1-9][0-9]*)([mhdwMQY])$/.exec(duration);
  if (!match) return { reason: `time window ${duration} is not a duration` };
  if ('MQY'.includes(match[2]!))
    return {
      reason: `time window ${duration}: months, quarters and years have no fixed length; write the rolling window in days or weeks`,
    };
  return duration as Duration;
}

/** target 0.999 → 99.9, exactly. */
const percentOf = (target: number): number => Number(toDecimal(mul(rational(target), rational(100))));

// ---- openslo/v1alpha, as Sloth reads it ----

const v1alphaQuery = z.object({ source: z.string(), queryType: z.string(), query: z.string() }).strict();
const v1alphaSlo = z
  .object({
    apiVersion: z.literal('openslo/v1alpha'),
    kind: z.literal('SLO'),
    metadata: z.object({ name: z.string().min(1), displayName: z.string().optional() }).loose(),
    spec: z
      .object({
        service: z.string().min(1),
        description: z.string().optional(),
        budgetingMethod: z.string().optional(),
        indicator: z.object({ thresholdMetric: v1alphaQuery }).strict().optional(),
        timeWindows: z
          .array(
            z
              .object({
                count: z.number().int().positive(),
                unit: z.string(),
                isRolling: z.boolean().optional(),
                calendar: z.unknown().optional(),
              })
              .strict(),
          )
          .length(1, 'must have exactly one item'),
        objectives: z
          .array(
            z
              .object({
                displayName: z.string().optional(),
                op: z.enum(['lt', 'lte', 'gt', 'gte']).optional(),
                value: z.number().optional(),
                target: z.number(),
                timeSliceTarget: z.number().optional(),
                ratioMetrics: z
                  .object({ good: v1alphaQuery, total: v1alphaQuery, incremental: z.boolean().optional() })
                  .strict()
                  .optional(),
              })
              .strict(),
          )
          .min(1),
      })
      .strict(),
  })
  .strict();

const v1alphaUnits: Record<string, string> = { Second: 's', Minute: 'm', Hour: 'h', Day: 'd', Week: 'w' };

function promqlSource(source: z.infer<typeof v1alphaQuery>, what: string): string | undefined {
  if (source.source.toLowerCase() !== 'prometheus') return `${what} source "${source.source}" is not Prometheus`;
  if (source.queryType.toLowerCase() !== 'promql') return `${what} queryType "${source.queryType}" is not PromQL`;
  return undefined;
}

function readV1alpha(document: InputDocument, sink: Sink): ImportedSlo[] {
  const place = placeOf(document);
  if ((document.value as { kind?: unknown }).kind !== 'SLO') {
    sink.note(place, 'not an SLO: nothing to import');
    return [];
  }
  const parsed = v1alphaSlo.safeParse(document.value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) sink.refuse(place, `${issue.path.join('.')}: ${issue.message}`, issue.path.map(String));
    return [];
  }
  const { metadata, spec } = parsed.data;
  if (spec.budgetingMethod !== undefined && spec.budgetingMethod !== 'Occurrences') {
    sink.refuse(place, `budgetingMethod ${spec.budgetingMethod}: monforge budgets by occurrences (events), not by time slices`, [
      'spec',
      'budgetingMethod',
    ]);
    return [];
  }
  const window = spec.timeWindows[0]!;
  const unit = v1alphaUnits[window.unit];
  if (window.calendar !== undefined || window.isRolling === false || !unit) {
    sink.refuse(
      place,
      unit
        ? 'calendar-aligned time window: monforge windows are rolling'
        : `time window unit ${window.unit}: months and quarters have no fixed length; write the rolling window in days or weeks`,
      ['spec', 'timeWindows', 0],
    );
    return [];
  }
  return spec.objectives.flatMap((objective, index): ImportedSlo[] => {
    // Sloth names the SLO of each objective `<name>-<index>`.
    const origin: Origin = {
      document,
      path: ['spec', 'objectives', index],
      object: `SLO "${metadata.name}" objective #${index + 1}`,
      format: 'OpenSLO v1alpha',
    };
    const sli = v1alphaSli(spec, objective);
    if ('reason' in sli) {
      sink.refuse(origin, sli.reason);
      return [];
    }
    if (!(objective.target > 0 && objective.target < 1)) {
      sink.refuse(origin, `target ${objective.target} is not between 0 and 1`, ['target']);
      return [];
    }
    if (objective.ratioMetrics?.incremental)
      sink.note(origin, 'incremental not carried: Sloth reads the queries with {{.window}} either way');
    sink.note(
      origin,
      'no alerting in OpenSLO v1alpha (Sloth generates no alerts from it): monforge adds its page and ticket burn-rate alerts',
    );
    const description = spec.description ?? metadata.displayName;
    return [
      {
        origin,
        service: serviceName(spec.service),
        name: serviceName(`${metadata.name}-${index}`),
        ...(description !== undefined && { description }),
        objective: percentOf(objective.target),
        window: `${window.count}${unit}` as Duration,
        sli: sli.sli,
      },
    ];
  });
}

type V1alphaSpec = z.infer<typeof v1alphaSlo>['spec'];

function v1alphaSli(spec: V1alphaSpec, objective: V1alphaSpec['objectives'][number]): Recognized {
  if (objective.ratioMetrics) {
    const problem = promqlSource(objective.ratioMetrics.good, 'good') ?? promqlSource(objective.ratioMetrics.total, 'total');
    if (problem) return { reason: problem };
    return sliFromGoodAndTotal(objective.ratioMetrics.good.query, objective.ratioMetrics.total.query, 'sloth', {
      good: 'ratioMetrics.good.query',
      total: 'ratioMetrics.total.query',
    });
  }
  if (!spec.indicator) return { reason: 'no ratioMetrics and no indicator' };
  const problem = promqlSource(spec.indicator.thresholdMetric, 'thresholdMetric');
  if (problem) return { reason: problem };
  if (objective.op === undefined || objective.value === undefined) return { reason: 'a thresholdMetric objective needs op and value' };
  return sliFromThreshold(spec.indicator.thresholdMetric.query, objective.op, objective.value, 'indicator.thresholdMetric.query');
}

// ---- openslo/v1 ----

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The query of a Prometheus metric source: `spec.query` (or `spec.promql`), if its type is Prometheus. */
function prometheusQuery(
  source: OpenSloMetricSource,
  dataSources: ReadonlyMap<string, OpenSloDataSource>,
  what: string,
  sink: Sink,
  origin: Origin,
): string | { reason: string } {
  let type = source.type;
  if (source.metricSourceRef !== undefined) {
    const referenced = dataSources.get(source.metricSourceRef);
    if (!referenced && type === undefined)
      return { reason: `${what}.metricSourceRef "${source.metricSourceRef}": no DataSource of that name in the files given` };
    type ??= referenced?.spec.type;
  }
  if (type === undefined) return { reason: `${what} has no type and no metricSourceRef: its data source is unknown` };
  if (type === 'Any') sink.note(origin, `${what} type Any read as Prometheus`);
  else if (type.toLowerCase() !== 'prometheus') return { reason: `${what} type "${type}" is not Prometheus` };
  const query = source.spec.query ?? source.spec.promql;
  if (typeof query !== 'string') return { reason: `${what}.spec has no PromQL query (query)` };
  return query;
}

function sliOfV1(
  spec: OpenSloSliSpec,
  objective: OpenSloSlo['spec']['objectives'][number],
  sources: ReadonlyMap<string, OpenSloDataSource>,
  sink: Sink,
  origin: Origin,
): Recognized {
  const query = (source: OpenSloMetricSource, what: string) => prometheusQuery(source, sources, what, sink, origin);
  if (spec.thresholdMetric) {
    const threshold = query(spec.thresholdMetric.metricSource, 'thresholdMetric.metricSource');
    if (typeof threshold !== 'string') return threshold;
    if (objective.op === undefined || objective.value === undefined) return { reason: 'a thresholdMetric objective needs op and value' };
    return sliFromThreshold(threshold, objective.op, objective.value, 'thresholdMetric query');
  }
  const ratio = spec.ratioMetric!;
  const form: QueryForm = ratio.counter ? 'counter' : 'rate';
  if (ratio.raw) {
    const raw = query(ratio.raw.metricSource, 'ratioMetric.raw.metricSource');
    if (typeof raw !== 'string') return raw;
    if (ratio.rawType === 'success') {
      const gauge = sliFromSuccessGauge(raw, 'ratioMetric.raw query');
      if (gauge) return gauge;
    }
    return sliFromErrorRatio(ratio.rawType === 'failure' ? raw : `1 - (${raw})`, form, 'ratioMetric.raw query');
  }
  const total = query(ratio.total!.metricSource, 'ratioMetric.total.metricSource');
  if (typeof total !== 'string') return total;
  const part = ratio.good ?? ratio.bad!;
  const which = ratio.good ? 'good' : 'bad';
  const partQuery = query(part.metricSource, `ratioMetric.${which}.metricSource`);
  if (typeof partQuery !== 'string') return partQuery;
  return ratio.good
    ? sliFromGoodAndTotal(partQuery, total, form, { good: 'ratioMetric.good query', total: 'ratioMetric.total query' })
    : sliFromBadAndTotal(partQuery, total, form, { bad: 'ratioMetric.bad query', total: 'ratioMetric.total query' });
}

const stringMap = z.record(z.string(), z.string());
const tierShape = z
  .object({ disabled: z.boolean().optional(), for: z.string().optional(), labels: stringMap.optional(), annotations: stringMap.optional() })
  .strict()
  .optional();
/** What monforge writes in its `monforge/alerting` annotation (compile/openslo). */
const alertingShape = z.object({ annotations: stringMap.optional(), page: tierShape, ticket: tierShape }).strict();

function readV1Slo(
  document: InputDocument,
  slis: ReadonlyMap<string, OpenSloSli>,
  sources: ReadonlyMap<string, OpenSloDataSource>,
  selectors: ReadonlyMap<string, Record<string, string>>,
  sink: Sink,
): ImportedSlo[] {
  const { metadata, spec } = document.value as OpenSloSlo;
  const place = placeOf(document);
  const refuse = (message: string, ...field: (string | number)[]): ImportedSlo[] => {
    sink.refuse(place, message, field);
    return [];
  };
  if (spec.budgetingMethod !== 'Occurrences')
    return refuse(
      `budgetingMethod ${spec.budgetingMethod}: monforge budgets by occurrences (events), not by time slices`,
      'spec',
      'budgetingMethod',
    );
  if (spec.objectives.some((each) => each.indicator || each.indicatorRef))
    return refuse('a composite SLO (an indicator per objective): monforge SLOs have one SLI', 'spec', 'objectives');
  let window: Duration | undefined;
  if (spec.timeWindow) {
    const only = spec.timeWindow[0]!;
    if (only.isRolling !== true) return refuse('calendar-aligned time window: monforge windows are rolling', 'spec', 'timeWindow', 0);
    const rolling = rollingWindow(only.duration);
    if (typeof rolling !== 'string') return refuse(rolling.reason, 'spec', 'timeWindow', 0);
    window = rolling;
  } else sink.note(place, 'no timeWindow: monforge uses its default 30d');
  let indicator = spec.indicator?.spec;
  if (spec.indicatorRef !== undefined) {
    indicator = slis.get(spec.indicatorRef)?.spec;
    if (!indicator) return refuse(`indicatorRef "${spec.indicatorRef}": no SLI of that name in the files given`, 'spec', 'indicatorRef');
  }

  if (spec.alertPolicies && spec.alertPolicies.length > 0)
    sink.note(place, 'alertPolicies not carried: monforge alerts with its page and ticket burn-rate tiers');

  const annotations = metadata.annotations ?? {};
  const alerting = alertingShape.safeParse(jsonOrUndefined(annotations[alertingAnnotation] ?? '{}'));
  if (!alerting.success) return refuse(`annotation ${alertingAnnotation} is not monforge's alerting settings`, 'metadata', 'annotations');
  for (const key of Object.keys(annotations))
    if (![alertingAnnotation, sloNameAnnotation, alertNameAnnotation].includes(key))
      sink.note(place, `annotation ${key} not carried: monforge SLOs have no annotations of their own`);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.labels ?? {})) {
    if (typeof value === 'string') labels[key] = value;
    else sink.note(place, `label ${key} not carried: a list of values is not a Prometheus label`);
  }

  const single = spec.objectives.length === 1;
  return spec.objectives.flatMap((objective, index): ImportedSlo[] => {
    const origin: Origin = {
      document,
      path: ['spec', 'objectives', index],
      object: single ? place.object : `${place.object} objective #${index + 1}`,
      format: 'OpenSLO v1',
    };
    const sli = sliOfV1(indicator!, objective, sources, sink, origin);
    if ('reason' in sli) {
      sink.refuse(origin, sli.reason);
      return [];
    }
    const carried = carriedLabels(labels, origin, 'SLO', sink);
    const series = ['service', 'slo', ...Object.keys(carried ?? {})];
    const tier = (options: z.infer<typeof alertingShape>['page'], which: string): ImportedTier | undefined => {
      if (!options) return undefined;
      const tierOptions = definedOnly({
        disabled: options.disabled,
        for: options.for !== undefined && isDuration(options.for) ? options.for : undefined,
        labels: carriedLabels(options.labels, origin, `${which} alert`, sink),
        annotations: carriedAnnotations(options.annotations, series, origin, `${which} alert`, sink),
      });
      return Object.keys(tierOptions).length > 0 ? tierOptions : undefined;
    };
    const tiers = definedOnly({ page: tier(alerting.data.page, 'page'), ticket: tier(alerting.data.ticket, 'ticket') });
    const name = annotations[sloNameAnnotation] ?? (single ? metadata.name : `${metadata.name}-${index}`);
    const description = spec.description ?? metadata.displayName;
    return [
      {
        origin,
        service: serviceName(spec.service),
        ...(labels.team !== undefined && { team: labels.team }),
        // Service objects are named as RFC 1123 labels (`_` → `-`).
        ...(selectors.has(spec.service.replace(/_/g, '-')) && { serviceSelector: selectors.get(spec.service.replace(/_/g, '-')) }),
        name: serviceName(name),
        ...(description !== undefined && { description }),
        objective: objective.targetPercent ?? percentOf(objective.target!),
        ...(window !== undefined && { window }),
        sli: sli.sli,
        ...definedOnly({
          labels: carried,
          alertName: annotations[alertNameAnnotation],
          annotations: carriedAnnotations(alerting.data.annotations, series, origin, 'alerts', sink),
          tiers: Object.keys(tiers).length > 0 ? tiers : undefined,
        }),
      },
    ];
  });
}

/** The SLOs of every OpenSLO document given, SLIs and data sources resolved across all of them. */
export function readOpenSlo(documents: readonly InputDocument[], sink: Sink): ImportedSlo[] {
  const slis = new Map<string, OpenSloSli>();
  const sources = new Map<string, OpenSloDataSource>();
  const slos: InputDocument[] = [];
  const selectors = new Map<string, Record<string, string>>();
  const found: ImportedSlo[] = [];
  for (const document of documents) {
    if (openSloFormat(document.value) === 'OpenSLO v1alpha') {
      found.push(...readV1alpha(document, sink));
      continue;
    }
    const place = placeOf(document);
    const problems = openSloProblems(document.value);
    if (problems.length > 0) {
      for (const problem of problems) sink.refuse(place, `not valid OpenSLO v1: ${problem}`);
      continue;
    }
    const object = document.value as { kind: string; metadata: { name: string } };
    if (object.kind === 'SLO') slos.push(document);
    else if (object.kind === 'SLI') slis.set(object.metadata.name, document.value as OpenSloSli);
    else if (object.kind === 'DataSource') sources.set(object.metadata.name, document.value as OpenSloDataSource);
    else if (object.kind === 'Service') {
      const selector = z
        .record(z.string(), z.string())
        .safeParse(jsonOrUndefined((document.value as OpenSloService).metadata.annotations?.[selectorAnnotation] ?? ''));
      if (selector.success) selectors.set(object.metadata.name, selector.data);
    } else sink.note(place, 'not carried: monforge alerts with its page and ticket burn-rate tiers');
  }
  for (const document of slos) found.push(...readV1Slo(document, slis, sources, selectors, sink));
  return found;
}
