import { labelKey } from '../diff/labels.ts';
import type { Labels } from '../reader/index.ts';

// One alerting rule's state over time, as Prometheus keeps it (rules/alerting.go,
// AlertingRule.Eval, v2.42+ with keep_firing_for): fed the query result of each evaluation in
// time order, it yields the firing episodes of every alert the rule produced.

export interface SimulatedRule {
  readonly name: string;
  /** The rule's `labels` (`severity`, `service`, …), set on every alert it produces. */
  readonly labels: Labels;
  /** `for`, seconds. */
  readonly holdSeconds: number;
  /** `keep_firing_for`, seconds. */
  readonly keepFiringSeconds: number;
}

/** One alert (label set) firing from `start` until `end` (exclusive; undefined: still firing when the range ended). */
export interface Episode {
  /** Everything Alertmanager receives: the result labels without `__name__`, the rule's labels, `alertname`. */
  readonly labels: Labels;
  /** When the condition first held (pending since). */
  readonly activeAt: number;
  /** The first evaluation at which it was firing. */
  readonly start: number;
  /** The first evaluation at which it no longer was (ResolvedAt). */
  readonly end: number | undefined;
}

interface Active {
  readonly labels: Labels;
  readonly activeAt: number;
  firedAt: number | undefined;
  keepFiringSince: number | undefined;
}

export class RuleSimulation {
  private readonly active = new Map<string, Active>();
  private readonly closed: Episode[] = [];
  evaluations = 0;
  /** Evaluations Prometheus would have failed (two results with one label set), by the time of the first. */
  duplicateLabelSets = 0;
  firstError: string | undefined;

  constructor(readonly rule: SimulatedRule) {}

  /** One evaluation at `time` (seconds) whose query returned series with `results` labels. */
  evaluate(time: number, results: readonly Labels[]): void {
    this.evaluations += 1;
    const current = new Map<string, Labels>();
    for (const result of results) {
      const labels = alertLabels(this.rule, result);
      const key = labelKey(labels);
      // Prometheus refuses the whole evaluation (ErrDuplicateAlertLabelSet) and keeps the previous state.
      if (current.has(key)) {
        this.duplicateLabelSets += 1;
        this.firstError ??= `${new Date(time * 1000).toISOString()}: two series with the labels ${key} after applying the rule's labels`;
        return;
      }
      current.set(key, labels);
    }
    // A new label set, or one whose previous alert was resolved, starts pending now.
    for (const [key, labels] of current) {
      if (!this.active.has(key)) this.active.set(key, { labels, activeAt: time, firedAt: undefined, keepFiringSince: undefined });
    }
    for (const [key, alert] of this.active) {
      if (!current.has(key)) {
        // keep_firing_for counts from the first evaluation without a result.
        let keepFiring = false;
        if (alert.firedAt !== undefined && this.rule.keepFiringSeconds > 0) {
          alert.keepFiringSince ??= time;
          keepFiring = time - alert.keepFiringSince < this.rule.keepFiringSeconds;
        }
        if (keepFiring) continue;
        // A pending alert is dropped at the first absent evaluation; a firing one is resolved now.
        if (alert.firedAt !== undefined)
          this.closed.push({ labels: alert.labels, activeAt: alert.activeAt, start: alert.firedAt, end: time });
        this.active.delete(key);
        continue;
      }
      alert.keepFiringSince = undefined;
      if (alert.firedAt === undefined && time - alert.activeAt >= this.rule.holdSeconds) alert.firedAt = time;
    }
  }

  /** Every episode so far, those still firing with no end, in order of start then labels. */
  episodes(): Episode[] {
    const open = [...this.active.values()]
      .filter((alert) => alert.firedAt !== undefined)
      .map((alert): Episode => ({ labels: alert.labels, activeAt: alert.activeAt, start: alert.firedAt!, end: undefined }));
    return [...this.closed, ...open].sort((a, b) => a.start - b.start || labelKey(a.labels).localeCompare(labelKey(b.labels)));
  }
}

/**
 * The alert's labels: the series' labels without `__name__`, then the rule's labels (which win),
 * then `alertname`. Rule label values may be templates of the series' labels.
 */
export function alertLabels(rule: SimulatedRule, series: Labels): Labels {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(series)) if (name !== '__name__') labels[name] = value;
  for (const [name, value] of Object.entries(rule.labels)) labels[name] = expandLabels(value, series);
  labels.alertname = rule.name;
  return labels;
}

/** `{{ $labels.job }}` and `{{ .Labels.job }}` in a rule label value; other templates stay as written. */
function expandLabels(value: string, series: Labels): string {
  if (!value.includes('{{')) return value;
  return value.replace(/\{\{-?\s*(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)\s*-?\}\}/g, (_, name: string) => series[name] ?? '');
}
