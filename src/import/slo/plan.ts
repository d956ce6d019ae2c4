import type { LabelMatcher } from '../../promql/parse.ts';
import type { SelectorSpec, SliSpec } from './sli.ts';
import type { ImportedSlo, Sink } from './types.ts';

// The SLOs read from every spec, arranged as definitions: one service per name with its SLOs
// (the same SLO given by two files once), the service's `job` lifted into its selector when
// every selector pins it, and each metric with every label its selectors use.

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface ServicePlan {
  readonly name: string;
  /** Target labels every selector pins (`job`): the service's selector. */
  readonly selector: Readonly<Record<string, string>>;
  readonly slos: readonly ImportedSlo[];
}

export interface MetricUse {
  readonly name: string;
  readonly kind: MetricKind;
  /** Label names its selectors match on (the service selector's aside), sorted. */
  readonly labels: readonly string[];
  /** A histogram's buckets as far as the specs show them: its latency thresholds. */
  readonly buckets: readonly number[];
  /** The SLOs that read it, for messages. */
  readonly readBy: readonly ImportedSlo[];
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

function liftedSelector(slos: readonly ImportedSlo[]): Readonly<Record<string, string>> {
  const selectors = slos.flatMap((slo) => sliSelectors(slo.sli).map((each) => each.selector));
  // The selector the source states, when every selector pins its labels so.
  const stated = slos.find((slo) => slo.serviceSelector)?.serviceSelector;
  if (
    stated &&
    selectors.every((selector) =>
      Object.entries(stated).every(([label, value]) =>
        selector.matchers.some((m) => m.label === label && m.op === '=' && m.value === value),
      ),
    )
  )
    return stated;
  const lifted: Record<string, string> = {};
  for (const label of liftable) {
    const pinned = selectors.map((selector) => selector.matchers.filter((m) => m.label === label));
    const first = pinned[0]?.[0];
    if (first?.op === '=' && pinned.every((each) => each.length === 1 && each[0]!.op === '=' && each[0]!.value === first.value))
      lifted[label] = first.value;
  }
  return lifted;
}

/** Without the matchers its service's selector already applies (and a histogram's `le`, which the SLO's threshold is). */
export function ownMatchers(selector: SelectorSpec, serviceSelector: Readonly<Record<string, string>>): LabelMatcher[] {
  return selector.matchers.filter(
    (m) => m.label !== 'le' && !(m.label in serviceSelector && m.op === '=' && m.value === serviceSelector[m.label]),
  );
}

/** Everything of an SLO but where it was read. */
const essence = (slo: ImportedSlo): string => JSON.stringify({ ...slo, origin: undefined });

/** One service per name; an SLO given twice alike is kept once, twice differently is refused. */
export function planServices(slos: readonly ImportedSlo[], sink: Sink): ServicePlan[] {
  const byService = new Map<string, ImportedSlo[]>();
  for (const slo of slos) {
    const known = byService.get(slo.service) ?? [];
    const twin = known.find((each) => each.name === slo.name);
    if (!twin) known.push(slo);
    else if (essence(twin) === essence(slo))
      sink.infer(slo.origin, `the same SLO as in ${twin.origin.document.at(twin.origin.path)}: imported once`);
    else
      sink.refuse(
        slo.origin,
        `service "${slo.service}" already has a different SLO "${slo.name}" from ${twin.origin.document.at(twin.origin.path)}`,
      );
    byService.set(slo.service, known);
  }
  return [...byService].map(([name, own]) => ({ name, selector: liftedSelector(own), slos: own }));
}

/** Every metric the services' SLOs read, by name; one read as two kinds is refused. */
export function metricUses(services: readonly ServicePlan[], sink: Sink): Map<string, MetricUse> {
  const uses = new Map<string, { kind: MetricKind; labels: Set<string>; buckets: Set<number>; readBy: ImportedSlo[] }>();
  for (const service of services) {
    for (const slo of service.slos) {
      for (const { selector, kind } of sliSelectors(slo.sli)) {
        const known = uses.get(selector.metric);
        if (known && known.kind !== kind) {
          const first = known.readBy[0]!.origin;
          sink.refuse(
            slo.origin,
            `reads ${selector.metric} as a ${kind}, but ${first.document.at(first.path)} (${first.object}) reads it as a ${known.kind}`,
          );
          continue;
        }
        const use = known ?? { kind, labels: new Set<string>(), buckets: new Set<number>(), readBy: [] };
        for (const matcher of ownMatchers(selector, service.selector)) use.labels.add(matcher.label);
        if (slo.sli.kind === 'latency') use.buckets.add(slo.sli.threshold);
        use.readBy.push(slo);
        uses.set(selector.metric, use);
      }
    }
  }
  return new Map(
    [...uses].map(([name, use]) => [
      name,
      { name, kind: use.kind, labels: [...use.labels].sort(), buckets: [...use.buckets].sort((a, b) => a - b), readBy: use.readBy },
    ]),
  );
}
