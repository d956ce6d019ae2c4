import type { ThresholdAlert } from '../model/alert.ts';
import type { Histogram } from '../model/metric.ts';
import type { Selector } from '../model/selector.ts';
import type { Service, Traffic } from '../model/service.ts';
import type { Slo } from '../model/slo.ts';
import { enabledTiers } from '../model/burn-rate.ts';
import { renderSelector } from '../promql/render.ts';

/** What one panel of a service dashboard shows. */
export type Slot =
  | { readonly kind: 'requests' | 'errors'; readonly traffic: Traffic }
  | { readonly kind: 'latency'; readonly histogram: Selector<Histogram> }
  | { readonly kind: 'threshold'; readonly alert: ThresholdAlert }
  | { readonly kind: 'sli' | 'budget' | 'burn' | 'firing'; readonly slo: Slo };

export type PlacedSlot = Slot & { readonly id: number };

export interface Row {
  readonly id: number;
  readonly title: string;
  readonly panels: readonly PlacedSlot[];
}

// The model is immutable: each service's plan is built once and read by both compilers.
const planned = new WeakMap<Service, readonly Row[]>();

/**
 * The rows and panels of a service dashboard with their ids, numbered in order. The Grafana
 * compiler draws the dashboard from this one plan and the Prometheus compiler links each alert
 * to its panel in it, so a link always names the panel that shows its alert.
 */
export function serviceLayout(service: Service): readonly Row[] {
  let layout = planned.get(service);
  if (layout === undefined) {
    layout = planLayout(service);
    planned.set(service, layout);
  }
  return layout;
}

function planLayout(service: Service): Row[] {
  const sections: { title: string; slots: Slot[] }[] = [];
  const { traffic } = service;
  if (traffic) {
    sections.push({ title: 'Traffic', slots: [{ kind: 'requests', traffic }] });
    sections.push({ title: 'Errors', slots: [{ kind: 'errors', traffic }] });
  }
  const histograms = latencyHistograms(service);
  if (histograms.length > 0) sections.push({ title: 'Latency', slots: histograms.map((histogram) => ({ kind: 'latency', histogram })) });
  const alerts = service.alerts ?? [];
  if (alerts.length > 0) sections.push({ title: 'Saturation', slots: alerts.map((alert) => ({ kind: 'threshold', alert })) });
  for (const slo of service.slos ?? []) {
    // Burn rates are drawn per alert window: an SLO without alerts has neither them nor firing alerts.
    const kinds = enabledTiers(slo).length > 0 ? (['sli', 'budget', 'burn', 'firing'] as const) : (['sli', 'budget'] as const);
    sections.push({ title: `SLO ${slo.name}`, slots: kinds.map((kind) => ({ kind, slo })) });
  }
  let id = 0;
  return sections.map((section) => ({ id: ++id, title: section.title, panels: section.slots.map((slot) => ({ ...slot, id: ++id })) }));
}

/** Every distinct histogram the service reads (traffic, latency SLOs, alerts), traffic first. */
function latencyHistograms(service: Service): Selector<Histogram>[] {
  const found = new Map<string, Selector<Histogram>>();
  const add = (selector: Selector<Histogram>): void => {
    const key = renderSelector(selector.metric.name, service, selector);
    if (!found.has(key)) found.set(key, selector);
  };
  if (service.traffic?.latency) add(service.traffic.latency);
  for (const slo of service.slos ?? []) if (slo.kind === 'latency') add(slo.histogram);
  for (const alert of service.alerts ?? []) {
    const expr = alert.expr.kind === 'baseline' ? alert.expr.current : alert.expr;
    if (expr.kind === 'quantile' || expr.kind === 'average') add(expr.histogram);
  }
  return [...found.values()];
}

/** The labels by which a generated alert names what it is about. */
export interface AlertIdentity {
  readonly alert: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The panel that shows an alert: outage → error ratio, SLO burn → the SLO's burn rates, threshold → its own panel. */
export function alertPanelId(layout: readonly Row[], alert: AlertIdentity): number | undefined {
  const panels = layout.flatMap((row) => row.panels);
  const match = panels.find((slot) => {
    if (alert.labels.outage === 'true') return slot.kind === 'errors';
    if (alert.labels.slo !== undefined) return slot.kind === 'burn' && slot.slo.name === alert.labels.slo;
    return slot.kind === 'threshold' && slot.alert.name === alert.alert;
  });
  return match?.id;
}
