import { z } from 'zod';
import {
  openSloProblems,
  type OpenSloDataSource,
  type OpenSloMetricSource,
  type OpenSloSli,
  type OpenSloSliSpec,
  type OpenSloSlo,
} from '../../compile/openslo/spec.ts';
import { alertingAnnotation, sloNameAnnotation, alertNameAnnotation } from '../../compile/openslo/annotations.ts';
import { mul, rational, toDecimal } from '../../model/decimal.ts';
import { isDuration, type Duration } from '../../model/duration.ts';
import { carriedAnnotations, carriedLabels, identifierOf } from './metadata.ts';
import { sliFromBadAndTotal, sliFromErrorRatio, sliFromGoodAndTotal, sliFromThreshold, type QueryForm, type Recognized } from './sli.ts';
import { definedOnly, type Reading } from './sloth.ts';
import { line, type ImportedTier, type Origin } from './types.ts';

// OpenSLO: `openslo/v1alpha` as Sloth reads it (ratioMetrics with `{{.window}}` queries) and
// `openslo/v1` SLOs with an inline or referenced SLI (`ratioMetric` or `thresholdMetric`) over
// Prometheus. Budgeting by time slices and other data sources are refused by name.

/** A YAML document of a spec file, where it sits. */
export interface SpecDocument {
  readonly document: unknown;
  readonly file: string;
}

export function openSloFormat(document: unknown): string | undefined {
  const version = (document as { apiVersion?: unknown } | null)?.apiVersion;
  if (version === 'openslo/v1alpha') return 'OpenSLO v1alpha';
  if (version === 'openslo/v1') return 'OpenSLO v1';
  return undefined;
}

const objectName = (document: unknown): string => {
  const { kind, metadata } = document as { kind?: unknown; metadata?: { name?: unknown } };
  return `${String(kind)} "${String(metadata?.name)}"`;
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

function readV1alpha(entry: SpecDocument, reading: Reading): void {
  const at = { file: entry.file, object: objectName(entry.document) };
  if ((entry.document as { kind?: unknown }).kind !== 'SLO') {
    reading.notes.push(line(at, 'not an SLO: nothing to import'));
    return;
  }
  const parsed = v1alphaSlo.safeParse(entry.document);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reading.refusals.push(line(at, `${issue.path.join('.')}: ${issue.message}`));
    return;
  }
  const { metadata, spec } = parsed.data;
  if (spec.budgetingMethod !== undefined && spec.budgetingMethod !== 'Occurrences')
    return void reading.refusals.push(
      line(at, `budgetingMethod ${spec.budgetingMethod}: monforge budgets by occurrences (events), not by time slices`),
    );
  const [window] = spec.timeWindows;
  if (window!.calendar !== undefined || window!.isRolling === false)
    return void reading.refusals.push(line(at, 'calendar-aligned time window: monforge windows are rolling'));
  const unit = v1alphaUnits[window!.unit];
  if (!unit)
    return void reading.refusals.push(
      line(at, `time window unit ${window!.unit}: months and quarters have no fixed length; write the rolling window in days or weeks`),
    );
  for (const [index, objective] of spec.objectives.entries()) {
    // Sloth names the SLO of each objective `<name>-<index>`.
    const origin: Origin = { file: entry.file, object: `SLO "${metadata.name}" objective #${index + 1}`, format: 'OpenSLO v1alpha' };
    const refuse = (message: string): void => void reading.refusals.push(line(origin, message));
    let sli: Recognized;
    if (objective.ratioMetrics) {
      const problem = promqlSource(objective.ratioMetrics.good, 'good') ?? promqlSource(objective.ratioMetrics.total, 'total');
      if (problem) {
        refuse(problem);
        continue;
      }
      if (objective.ratioMetrics.incremental)
        reading.notes.push(line(origin, 'incremental not carried: Sloth reads the queries with {{.window}} either way'));
      sli = sliFromGoodAndTotal(objective.ratioMetrics.good.query, objective.ratioMetrics.total.query, 'sloth', {
        good: 'ratioMetrics.good.query',
        total: 'ratioMetrics.total.query',
      });
    } else if (spec.indicator) {
      const problem = promqlSource(spec.indicator.thresholdMetric, 'thresholdMetric');
      if (problem) {
        refuse(problem);
        continue;
      }
      if (objective.op === undefined || objective.value === undefined) {
        refuse('a thresholdMetric objective needs op and value');
        continue;
      }
      sli = sliFromThreshold(spec.indicator.thresholdMetric.query, objective.op, objective.value, 'indicator.thresholdMetric.query');
    } else {
      refuse('no ratioMetrics and no indicator');
      continue;
    }
    if ('reason' in sli) {
      refuse(sli.reason);
      continue;
    }
    if (!(objective.target > 0 && objective.target < 1)) {
      refuse(`target ${objective.target} is not between 0 and 1`);
      continue;
    }
    reading.notes.push(
      line(
        origin,
        'no alerting in OpenSLO v1alpha (Sloth generates no alerts from it): monforge adds its page and ticket burn-rate alerts',
      ),
    );
    reading.slos.push({
      origin,
      service: identifierOf(spec.service),
      name: identifierOf(`${metadata.name}-${index}`),
      ...((spec.description ?? metadata.displayName) && { description: spec.description ?? metadata.displayName }),
      objective: percentOf(objective.target),
      window: `${window!.count}${unit}` as Duration,
      sli: sli.sli,
    });
  }
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
  notes: string[],
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
  if (type === 'Any') notes.push(line(origin, `${what} type Any read as Prometheus`));
  else if (type.toLowerCase() !== 'prometheus') return { reason: `${what} type "${type}" is not Prometheus` };
  const query = source.spec.query ?? source.spec.promql;
  if (typeof query !== 'string') return { reason: `${what}.spec has no PromQL query (query)` };
  return query;
}

function sliOfV1(
  spec: OpenSloSliSpec,
  objective: OpenSloSlo['spec']['objectives'][number],
  sources: ReadonlyMap<string, OpenSloDataSource>,
  notes: string[],
  origin: Origin,
): Recognized {
  const query = (source: OpenSloMetricSource, what: string) => prometheusQuery(source, sources, what, notes, origin);
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

const alertingShape = z
  .object({
    annotations: z.record(z.string(), z.string()).optional(),
    page: z
      .object({
        disabled: z.boolean().optional(),
        for: z.string().optional(),
        labels: z.record(z.string(), z.string()).optional(),
        annotations: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
    ticket: z
      .object({
        disabled: z.boolean().optional(),
        for: z.string().optional(),
        labels: z.record(z.string(), z.string()).optional(),
        annotations: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

function readV1Slo(
  entry: SpecDocument & { slo: OpenSloSlo },
  slis: ReadonlyMap<string, OpenSloSli>,
  sources: ReadonlyMap<string, OpenSloDataSource>,
  reading: Reading,
): void {
  const { metadata, spec } = entry.slo;
  const at = { file: entry.file, object: `SLO "${metadata.name}"` };
  const refuse = (message: string): void => void reading.refusals.push(line(at, message));
  if (spec.budgetingMethod !== 'Occurrences')
    return refuse(`budgetingMethod ${spec.budgetingMethod}: monforge budgets by occurrences (events), not by time slices`);
  if (spec.objectives.some((each) => each.indicator || each.indicatorRef))
    return refuse('a composite SLO (an indicator per objective): monforge SLOs have one SLI');
  let indicator = spec.indicator?.spec;
  if (spec.indicatorRef !== undefined) {
    indicator = slis.get(spec.indicatorRef)?.spec;
    if (!indicator) return refuse(`indicatorRef "${spec.indicatorRef}": no SLI of that name in the files given`);
  }
  let window: Duration | undefined;
  if (spec.timeWindow) {
    const [only] = spec.timeWindow;
    if (only!.isRolling !== true) return refuse('calendar-aligned time window: monforge windows are rolling');
    const rolling = rollingWindow(only!.duration);
    if (typeof rolling !== 'string') return refuse(rolling.reason);
    window = rolling;
  } else reading.notes.push(line(at, 'no timeWindow: monforge uses its default 30d'));
  if (spec.alertPolicies && spec.alertPolicies.length > 0)
    reading.notes.push(line(at, 'alertPolicies not carried: monforge alerts with its page and ticket burn-rate tiers'));

  const annotations = metadata.annotations ?? {};
  const alerting = alertingShape.safeParse(jsonOrUndefined(annotations[alertingAnnotation] ?? '{}'));
  if (!alerting.success) return refuse(`annotation ${alertingAnnotation} is not monforge's alerting settings`);
  for (const key of Object.keys(annotations))
    if (![alertingAnnotation, sloNameAnnotation, alertNameAnnotation].includes(key))
      reading.notes.push(line(at, `annotation ${key} not carried: monforge SLOs have no annotations of their own`));
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.labels ?? {})) {
    if (typeof value === 'string') labels[key] = value;
    else reading.notes.push(line(at, `label ${key} not carried: a list of values is not a Prometheus label`));
  }

  for (const [index, objective] of spec.objectives.entries()) {
    const single = spec.objectives.length === 1;
    const origin: Origin = { file: entry.file, object: single ? at.object : `${at.object} objective #${index + 1}`, format: 'OpenSLO v1' };
    const sli = sliOfV1(indicator!, objective, sources, reading.notes, origin);
    if ('reason' in sli) {
      reading.refusals.push(line(origin, sli.reason));
      continue;
    }
    const carried = carriedLabels(labels, origin, 'SLO', reading.notes);
    const series = ['service', 'slo', ...Object.keys(carried ?? {})];
    const tier = (options: z.infer<typeof alertingShape>['page'], which: string): ImportedTier | undefined => {
      if (!options) return undefined;
      const tierOptions = definedOnly({
        disabled: options.disabled,
        for: options.for !== undefined && isDuration(options.for) ? options.for : undefined,
        labels: carriedLabels(options.labels, origin, `${which} alert`, reading.notes),
        annotations: carriedAnnotations(options.annotations, series, origin, `${which} alert`, reading.notes),
      });
      return Object.keys(tierOptions).length > 0 ? tierOptions : undefined;
    };
    const tiers = definedOnly({ page: tier(alerting.data.page, 'page'), ticket: tier(alerting.data.ticket, 'ticket') });
    const name = annotations[sloNameAnnotation] ?? (single ? metadata.name : `${metadata.name}-${index}`);
    const description = spec.description ?? metadata.displayName;
    reading.slos.push({
      origin,
      service: identifierOf(spec.service),
      name: identifierOf(name),
      ...(description !== undefined && { description }),
      objective: objective.targetPercent ?? percentOf(objective.target!),
      ...(window !== undefined && { window }),
      sli: sli.sli,
      ...definedOnly({
        labels: carried,
        alertName: annotations[alertNameAnnotation],
        annotations: carriedAnnotations(alerting.data.annotations, series, origin, 'alerts', reading.notes),
        tiers: Object.keys(tiers).length > 0 ? tiers : undefined,
      }),
    });
  }
}

/** The SLOs of every OpenSLO document given, SLIs and data sources resolved across all of them. */
export function readOpenSlo(entries: readonly SpecDocument[], reading: Reading): void {
  const slis = new Map<string, OpenSloSli>();
  const sources = new Map<string, OpenSloDataSource>();
  const slos: (SpecDocument & { slo: OpenSloSlo })[] = [];
  for (const entry of entries) {
    if (openSloFormat(entry.document) === 'OpenSLO v1alpha') {
      readV1alpha(entry, reading);
      continue;
    }
    const at = { file: entry.file, object: objectName(entry.document) };
    const problems = openSloProblems(entry.document);
    if (problems.length > 0) {
      for (const problem of problems) reading.refusals.push(line(at, `not valid OpenSLO v1: ${problem}`));
      continue;
    }
    const object = entry.document as { kind: string; metadata: { name: string } };
    if (object.kind === 'SLO') slos.push({ ...entry, slo: entry.document as OpenSloSlo });
    else if (object.kind === 'SLI') slis.set(object.metadata.name, entry.document as OpenSloSli);
    else if (object.kind === 'DataSource') sources.set(object.metadata.name, entry.document as OpenSloDataSource);
    else if (object.kind !== 'Service')
      reading.notes.push(line(at, 'not carried: monforge alerts with its page and ticket burn-rate tiers'));
  }
  for (const entry of slos) readV1Slo(entry, slis, sources, reading);
}
