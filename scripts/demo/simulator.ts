// The demo's model of a running service: every metric its definitions select, with label values
// that satisfy those selectors and healthy values that keep every alert quiet, until a fault
// is injected. The numbers are simulated; no real requests are served.
import { Registry } from 'prom-client';
import { labelsFor, labelsRejectedBy, type LabelSet } from '../../src/derive/test-labels.ts';
import type { ThresholdAlert } from '../../src/model/alert.ts';
import type { ThresholdExpr } from '../../src/model/expr.ts';
import type { Metric } from '../../src/model/metric.ts';
import type { Selector } from '../../src/model/selector.ts';
import type { Service } from '../../src/model/service.ts';
import { gaugeBound } from '../../src/model/slo.ts';
import { severities } from '../../src/model/severity.ts';
import { serviceSelectors } from '../../src/model/walk.ts';
import { instrument, type TypedCounter, type TypedGauge, type TypedHistogram } from '../../src/instrument/index.ts';

export interface Fault {
  /** Share of requests that fail, 0–1. */
  readonly errorRatio?: number;
  /** Seconds added to every request. */
  readonly latencySeconds?: number;
  /** Memory in use, percent of the limit. */
  readonly memoryPercent?: number;
  /** The target stops answering scrapes (`up` = 0). */
  readonly down?: boolean;
  /** Request rate as a share of the healthy one (a quiet night: 0.75). */
  readonly trafficFactor?: number;
  /** The fault survives a restart (for remediation that cannot help). */
  readonly sticky?: boolean;
}

type AnyCounter = TypedCounter<string>;
type AnyGauge = TypedGauge<string>;
type AnyHistogram = TypedHistogram<string>;

interface CounterFeed {
  readonly counter: AnyCounter;
  readonly labels: LabelSet;
  /** Events per second when healthy, and the share of requests this series gets under errorRatio. */
  readonly perSecond: number;
  readonly role: 'all' | 'good' | 'bad';
}

const levelsOf = (alert: ThresholdAlert): number[] =>
  severities.flatMap((severity) => (alert.levels[severity] === undefined ? [] : [alert.levels[severity]!]));

/** A healthy request rate: enough to clear every "throughput below" level. */
function healthyRate(service: Service): number {
  const floors = (service.alerts ?? []).flatMap((alert) => {
    if (alert.expr.kind === 'rate' && alert.direction === 'below') return levelsOf(alert);
    // A baseline of the request rate only compares weeks that were above its minimum.
    if (alert.expr.kind === 'baseline' && alert.expr.current.kind === 'rate' && alert.expr.minimum !== undefined)
      return [alert.expr.minimum];
    return [];
  });
  return Math.max(20, ...floors.map((level) => level * 1.2));
}

export class SimulatedService {
  readonly registry = new Registry();
  private fault: Fault = {};
  // Keyed by metric and labels: an SLO and an alert often select the same series.
  private readonly counters = new Map<string, CounterFeed>();
  private readonly histograms = new Map<string, { histogram: AnyHistogram; labels: LabelSet; traffic: boolean }>();
  private readonly gauges: { gauge: AnyGauge; labels: LabelSet; value: (fault: Fault) => number }[] = [];
  private readonly made = new Map<string, unknown>();

  constructor(readonly service: Service) {
    const rate = healthyRate(service);
    const traffic = service.traffic;
    if (traffic) this.addRatio(traffic.errors, traffic.requests, 'bad', rate);
    if (traffic?.latency) this.addHistogram(traffic.latency, true);
    for (const slo of service.slos ?? []) {
      if (slo.kind === 'latency') this.addHistogram(slo.histogram, false);
      else if (slo.kind === 'gauge') {
        // A healthy sample meets the bound: on it when inclusive, else 1 inside; or is all good.
        const bound = slo.good === 'value' ? undefined : gaugeBound(slo.good);
        const healthy = bound
          ? { below: bound.value - 1, atMost: bound.value, above: bound.value + 1, atLeast: bound.value }[bound.kind]
          : 1;
        this.gauges.push({ gauge: this.metric<AnyGauge>(slo.gauge.metric), labels: this.labels(slo.gauge), value: () => healthy });
      } else if (slo.errors) this.addRatio(slo.errors, slo.total, 'bad', rate);
      else this.addRatio(slo.good!, slo.total, 'good', rate);
    }
    for (const alert of service.alerts ?? []) this.addAlert(alert, rate);
    // Anything else selected (e.g. only by a dashboard-facing selector) still gets a series.
    for (const { selector } of serviceSelectors(service)) this.metric(selector.metric);
  }

  /** One prom-client metric per definition, shared by every selector of it. */
  private metric<T>(metric: Metric): T {
    if (!this.made.has(metric.name)) this.made.set(metric.name, instrument({ metric }, this.registry).metric);
    return this.made.get(metric.name) as T;
  }

  private labels(selector: Selector): LabelSet {
    const labels = labelsFor(this.service, selector);
    // Target labels (job) come from the scrape, not from the process.
    for (const label of Object.keys(this.service.selector)) delete labels[label];
    return Object.fromEntries(selector.metric.labels.map((label) => [label, labels[label] ?? 'demo']));
  }

  private addRatio(part: Selector, whole: Selector, role: 'good' | 'bad', rate: number): void {
    const partLabels = this.labels(part);
    const counter = this.metric<AnyCounter>(part.metric);
    this.addCounter(part.metric, { counter, labels: partLabels, perSecond: rate, role });
    const rest = labelsRejectedBy({ selector: {} }, partLabels, part, whole);
    if (rest)
      this.addCounter(whole.metric, {
        counter: this.metric<AnyCounter>(whole.metric),
        labels: rest,
        perSecond: rate,
        role: role === 'bad' ? 'good' : 'bad',
      });
    else if (part.metric.name !== whole.metric.name)
      this.addCounter(whole.metric, {
        counter: this.metric<AnyCounter>(whole.metric),
        labels: this.labels(whole),
        perSecond: rate,
        role: 'all',
      });
  }

  private addCounter(metric: Metric, feed: CounterFeed): void {
    const key = `${metric.name}${JSON.stringify(feed.labels)}`;
    if (!this.counters.has(key)) this.counters.set(key, feed);
  }

  private addHistogram(selector: Selector, traffic: boolean): void {
    const labels = this.labels(selector);
    const key = `${selector.metric.name}${JSON.stringify(labels)}`;
    const known = this.histograms.get(key);
    this.histograms.set(key, {
      histogram: this.metric<AnyHistogram>(selector.metric),
      labels,
      traffic: traffic || (known?.traffic ?? false),
    });
  }

  private addAlert(alert: ThresholdAlert, rate: number): void {
    this.addExpr(alert.expr, levelsOf(alert), alert.direction === 'below', rate);
  }

  /** Series that keep an expression clear of its levels (none: a plain healthy value). */
  private addExpr(expr: ThresholdExpr, levels: readonly number[], below: boolean, rate: number): void {
    switch (expr.kind) {
      case 'ratio':
        // Above: the numerator is the bad part (errors); below: the good part (hits).
        this.addRatio(expr.numerator, expr.denominator, below ? 'good' : 'bad', rate);
        return;
      case 'rate':
        // Throughput counts the traffic already simulated; a second series would dilute errors.
        if ([...this.counters.keys()].some((key) => key.startsWith(`${expr.counter.metric.name}{`))) return;
        this.addCounter(expr.counter.metric, {
          counter: this.metric<AnyCounter>(expr.counter.metric),
          labels: this.labels(expr.counter),
          perSecond: rate,
          role: 'all',
        });
        return;
      case 'quantile':
      case 'average':
        this.addHistogram(expr.histogram, false);
        return;
      case 'gaugePercent':
      case 'forecast': {
        const capacity = expr.capacity.metric.unit === 'bytes' ? 2 ** 30 : 100;
        const memory = expr.used.metric.name.includes('memory');
        this.gauges.push({ gauge: this.metric<AnyGauge>(expr.capacity.metric), labels: this.labels(expr.capacity), value: () => capacity });
        this.gauges.push({
          gauge: this.metric<AnyGauge>(expr.used.metric),
          labels: this.labels(expr.used),
          value: (fault) =>
            (capacity * (memory && fault.memoryPercent !== undefined ? fault.memoryPercent : Math.min(...levels) / 2)) / 100,
        });
        return;
      }
      case 'gauge': {
        const healthy = levels.length === 0 ? 1 : below ? Math.max(...levels) * 1.02 : Math.min(...levels) / 2;
        this.gauges.push({ gauge: this.metric<AnyGauge>(expr.gauge.metric), labels: this.labels(expr.gauge), value: () => healthy });
        return;
      }
      case 'baseline':
        // Compared with last week, which the demo has no data of: a steady present is enough.
        this.addExpr(expr.current, [], false, rate);
        return;
      case 'promql':
        // Raw PromQL: the demo cannot know which series keep it quiet, but a timestamp it reads
        // ("the last success") is healthy when it is now.
        for (const metric of expr.metrics ?? []) {
          if (metric.kind === 'gauge' && metric.unit === 'timestamp_seconds')
            this.gauges.push({ gauge: this.metric<AnyGauge>(metric), labels: {}, value: () => Date.now() / 1000 });
        }
        return;
    }
  }

  get isDown(): boolean {
    return this.fault.down === true;
  }

  inject(fault: Fault): void {
    this.fault = { ...fault };
  }

  /** What a restart does: clears the fault unless it is sticky. */
  restart(): boolean {
    if (this.fault.sticky) return false;
    this.fault = {};
    return true;
  }

  /** Advances the simulation by `seconds`. */
  tick(seconds: number): void {
    const errorRatio = Math.min(1, Math.max(0, this.fault.errorRatio ?? 0));
    const traffic = Math.max(0, this.fault.trafficFactor ?? 1);
    for (const feed of this.counters.values()) {
      const share = feed.role === 'all' ? 1 : feed.role === 'bad' ? errorRatio : 1 - errorRatio;
      feed.counter.inc(feed.labels, feed.perSecond * traffic * seconds * share);
    }
    // A handful of observations per tick is enough for rates and quantiles.
    for (const { histogram, labels, traffic } of this.histograms.values()) {
      const base = 0.01 + (traffic ? (this.fault.latencySeconds ?? 0) : 0);
      for (let index = 0; index < 10; index += 1) histogram.observe(labels, base + index * 0.001);
    }
    for (const { gauge, labels, value } of this.gauges) gauge.set(labels, value(this.fault));
  }
}
