import type { LabelMatcher } from '../../promql/parse.ts';
import type { SelectorSpec, SliSpec } from './sli.ts';
import { line, type ImportedSlo } from './types.ts';

// The SLOs read from every spec, arranged as definitions: one service per name with its SLOs
// (the same SLO given by two files once), each metric declared once with every label its
// selectors use, and the service's `job` lifted into its selector when every selector pins it.

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface MetricPlan {
  readonly name: string;
  readonly kind: MetricKind;
  /** Label names its selectors match on (the service selector's aside), sorted. */
  readonly labels: readonly string[];
  /** A histogram's buckets as far as the specs show them: its latency thresholds. */
  readonly buckets: readonly number[];
  /** The services that read it. */
  readonly services: readonly string[];
}

export interface ServicePlan {
  readonly name: string;
  /** Target labels every selector pins (`job`): the service's selector. */
  readonly selector: Readonly<Record<string, string>>;
  readonly slos: readonly ImportedSlo[];
  /** Spec files its SLOs come from, in input order. */
  readonly sources: readonly string[];
}

export interface ImportPlan {
  readonly services: readonly ServicePlan[];
  readonly metrics: ReadonlyMap<string, MetricPlan>;
  readonly refusals: readonly string[];
  readonly notes: readonly string[];
}

/** The selectors of an SLI with the kind of metric each reads. */
export function sliSelectors(sli: SliSpec): { selector: SelectorSpec; kind: MetricKind }[] {
  switch (sli.kind) {
    case 'latency':
      return [{ selector: sli.histogram, kind: 'histogram' }];
    case 'gauge':
      return [{ selector: sli.gauge, kind: 'gauge' }];
    case 'ratio':
      return ['errors' in sli ? sli.errors : sli.good, sli.total].map((selector) => ({ selector, kind: 'counter' as const }));
  }
}

/** Target labels lifted into a service's selector when every one of its selectors pins them to one value. */
const liftable = ['job'];

function liftedSelector(slos: readonly ImportedSlo[]): Record<string, string> {
  const selectors = slos.flatMap((slo) => sliSelectors(slo.sli).map((each) => each.selector));
  const lifted: Record<string, string> = {};
  for (const label of liftable) {
    const values = selectors.map((selector) => selector.matchers.filter((m) => m.label === label));
    const first = values[0]?.[0];
    if (first && first.op === '=' && values.every((each) => each.length === 1 && each[0]!.op === '=' && each[0]!.value === first.value))
      lifted[label] = first.value;
  }
  return lifted;
}

/** Without the matchers its service's selector already applies. */
export function ownMatchers(selector: SelectorSpec, serviceSelector: Readonly<Record<string, string>>): LabelMatcher[] {
  return selector.matchers.filter((m) => !(m.label in serviceSelector && m.op === '=' && m.value === serviceSelector[m.label]));
}

/** Everything of an SLO but where it was read. */
const essence = (slo: ImportedSlo): string => JSON.stringify({ ...slo, origin: undefined });

export function planImport(slos: readonly ImportedSlo[]): ImportPlan {
  const refusals: string[] = [];
  const notes: string[] = [];
  const byService = new Map<string, ImportedSlo[]>();
  for (const slo of slos) {
    const known = byService.get(slo.service) ?? [];
    const twin = known.find((each) => each.name === slo.name);
    if (!twin) known.push(slo);
    else if (essence(twin) === essence(slo)) notes.push(line(slo.origin, `the same SLO as in ${twin.origin.file}: imported once`));
    else refusals.push(line(slo.origin, `service "${slo.service}" already has a different SLO "${slo.name}" from ${twin.origin.file}`));
    byService.set(slo.service, known);
  }
  const services: ServicePlan[] = [...byService].map(([name, own]) => ({
    name,
    selector: liftedSelector(own),
    slos: own,
    sources: [...new Set(own.map((slo) => slo.origin.file))],
  }));

  const metrics = new Map<
    string,
    { kind: MetricKind; labels: Set<string>; buckets: Set<number>; services: Set<string>; first: ImportedSlo }
  >();
  for (const service of services) {
    for (const slo of service.slos) {
      for (const { selector, kind } of sliSelectors(slo.sli)) {
        const known = metrics.get(selector.metric);
        if (known && known.kind !== kind) {
          refusals.push(
            line(
              slo.origin,
              `reads ${selector.metric} as a ${kind}, but ${known.first.origin.file} (${known.first.origin.object}) reads it as a ${known.kind}`,
            ),
          );
          continue;
        }
        const entry = known ?? { kind, labels: new Set(), buckets: new Set(), services: new Set(), first: slo };
        for (const matcher of ownMatchers(selector, service.selector)) entry.labels.add(matcher.label);
        if (slo.sli.kind === 'latency') entry.buckets.add(slo.sli.threshold);
        entry.services.add(service.name);
        metrics.set(selector.metric, entry);
      }
    }
  }
  return {
    services,
    metrics: new Map(
      [...metrics].map(([name, entry]) => [
        name,
        {
          name,
          kind: entry.kind,
          labels: [...entry.labels].sort(),
          buckets: [...entry.buckets].sort((a, b) => a - b),
          services: [...entry.services],
        },
      ]),
    ),
    refusals,
    notes,
  };
}
