import { describe, expect, it } from 'vitest';
import { RuleSimulation } from '../../src/backtest/simulate.ts';

// The state machine of rules/alerting.go on hand-made evaluation results (one evaluation per
// minute): each case states what Prometheus does and the exact episodes that follow.

const rule = (holdSeconds: number, keepFiringSeconds = 0) =>
  new RuleSimulation({ name: 'Test', labels: { severity: 'warning', service: 'api' }, holdSeconds, keepFiringSeconds });

/** Evaluates at 0, 60, 120, … with `pattern[i]` the result label sets of evaluation i. */
function run(simulation: RuleSimulation, pattern: readonly (readonly Record<string, string>[])[]) {
  pattern.forEach((results, index) => {
    simulation.evaluate(index * 60, results);
  });
  return simulation
    .episodes()
    .map((episode) => ({ start: episode.start, end: episode.end, activeAt: episode.activeAt, job: episode.labels.job }));
}

const a = { __name__: 'x', job: 'a' };
const b = { job: 'b' };
const on = [a];
const off: Record<string, string>[] = [];

describe('RuleSimulation (Prometheus rules/alerting.go)', () => {
  it('fires at the first evaluation with t − activeAt ≥ for, resolves at the first evaluation without a result', () => {
    expect(run(rule(120), [off, on, on, on, on, off, off])).toStrictEqual([{ start: 180, end: 300, activeAt: 60, job: 'a' }]);
  });

  it('without `for`, fires at the evaluation that first returns a result', () => {
    expect(run(rule(0), [on, off, on])).toStrictEqual([
      { start: 0, end: 60, activeAt: 0, job: 'a' },
      { start: 120, end: undefined, activeAt: 120, job: 'a' },
    ]);
  });

  it('one absent evaluation drops a pending alert: the hold starts again', () => {
    expect(run(rule(120), [on, on, off, on, on, on])).toStrictEqual([{ start: 300, end: undefined, activeAt: 180, job: 'a' }]);
  });

  it('keep_firing_for keeps a firing alert while t − (first absent evaluation) < keep_firing_for', () => {
    // Firing at 60; absent from 120: kept at 120, 180 (< 120 s), resolved at 240.
    expect(run(rule(60, 120), [on, on, off, off, off, off])).toStrictEqual([{ start: 60, end: 240, activeAt: 0, job: 'a' }]);
  });

  it('a result during keep_firing_for continues the episode and resets the count', () => {
    // Absent again from 180: kept at 180 and 240, resolved at 300.
    expect(run(rule(0, 120), [on, off, on, off, off, off])).toStrictEqual([{ start: 0, end: 300, activeAt: 0, job: 'a' }]);
  });

  it('keep_firing_for does not keep a pending alert', () => {
    expect(run(rule(120, 600), [on, on, off, off])).toStrictEqual([]);
  });

  it('a label change mid-episode resolves the old alert and starts a new pending one', () => {
    expect(run(rule(60), [[a], [a], [b], [b], [b]])).toStrictEqual([
      { start: 60, end: 120, activeAt: 0, job: 'a' },
      { start: 180, end: undefined, activeAt: 120, job: 'b' },
    ]);
  });

  it('alert labels: series labels without __name__, the rule labels on top, alertname', () => {
    const simulation = rule(0);
    simulation.evaluate(0, [{ __name__: 'x', job: 'a', severity: 'from-series' }]);
    expect(simulation.episodes()[0]!.labels).toStrictEqual({ job: 'a', severity: 'warning', service: 'api', alertname: 'Test' });
  });

  it('two series with one label set fail the evaluation and keep the previous state, as Prometheus does', () => {
    const simulation = rule(60);
    simulation.evaluate(0, [a]);
    simulation.evaluate(60, [
      { job: 'a', severity: 'x' },
      { job: 'a', severity: 'y' },
    ]);
    simulation.evaluate(120, [a]);
    expect(simulation.duplicateLabelSets).toBe(1);
    expect(simulation.episodes().map((each) => each.start)).toStrictEqual([120]);
  });

  it('rule label templates of the series labels', () => {
    const simulation = new RuleSimulation({ name: 'T', labels: { target: '{{ $labels.job }}-x' }, holdSeconds: 0, keepFiringSeconds: 0 });
    simulation.evaluate(0, [a]);
    expect(simulation.episodes()[0]!.labels.target).toBe('a-x');
  });
});
