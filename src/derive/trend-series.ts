import { seconds } from '../model/duration.ts';
import { defaultForecastLookback, type BaselineCurrent, type BaselineExpr, type ForecastExpr, type TestSeries } from '../model/expr.ts';
import { num } from './promtool-number.ts';
import { seriesName, type LabelSet } from './test-labels.ts';

// Test series for the expressions that look back in time: a baseline's past and present, a
// forecast's trend. Their values are still a chosen constant at every step, so they share the
// threshold tests of every other expression (test-series.ts).

/** Series of `current` worth `value` at every step (thresholdSeries of test-series.ts). */
type Synthesize = (current: BaselineCurrent, value: number, steps: number) => TestSeries[];

/** The past value tests compare with: above the minimum, so the guard lets the comparison through. */
export const baselinePast = (expr: BaselineExpr): number => (expr.minimum !== undefined && expr.minimum > 0 ? expr.minimum * 2 : 100);

/**
 * Series whose current value is `value` % of the past one: the past value for `offset`, then
 * the current one. `past` undefined leaves the first `offset` empty (no history); a number sets
 * the past value itself (e.g. under the minimum).
 */
export function baselineSeries(
  expr: BaselineExpr,
  value: number,
  steps: number,
  synthesize: Synthesize,
  past: number | undefined,
): TestSeries[] {
  // Samples 0 … offset-1 hold the past, offset … steps the present.
  const offsetSteps = seconds(expr.offset) / 60;
  const later = synthesize(expr.current, (value / 100) * baselinePast(expr), Math.max(0, steps - offsetSteps));
  if (past === undefined) return later.map((each) => ({ series: each.series, values: `_x${offsetSteps} ${each.values}` }));
  const earlier = new Map(synthesize(expr.current, past, offsetSteps - 1).map((each) => [each.series, each.values]));
  return later.map((each) => ({ series: each.series, values: continued(earlier.get(each.series)!, each.values) }));
}

/** `start+incrementxN` of a synthesized series. */
function expansion(values: string): { start: number; increment: number; count: number } {
  const match = /^(-?[0-9.e+-]+)\+(-?[0-9.e+-]+)x([0-9]+)$/.exec(values);
  if (!match) throw new Error(`internal: not a synthesized series: ${values}`);
  return { start: Number(match[1]), increment: Number(match[2]), count: Number(match[3]) };
}

/**
 * The second expansion after the first: a counter (it grows in either part) carries on from
 * where the first ended, a gauge starts again at its own value.
 */
function continued(first: string, second: string): string {
  const a = expansion(first);
  const b = expansion(second);
  const counter = a.increment !== 0 || b.increment !== 0;
  const start = counter ? a.start + a.increment * a.count + b.increment : b.start;
  return `${first} ${num(start)}+${num(b.increment)}x${b.count}`;
}

/**
 * A forecast of exactly `value` at every step: `used` grows by one per minute from 0 and
 * `capacity` grows in step with the prediction (used now + growth over the horizon), so their
 * quotient stays `value` while predict_linear sees a perfect line.
 */
export function forecastSeries(expr: ForecastExpr, used: LabelSet, capacity: LabelSet, value: number, steps: number): TestSeries[] {
  if (expr.used.metric.name === expr.capacity.metric.name)
    throw new Error(`${expr.used.metric.name}: used and capacity must be different gauges`);
  const horizon = seconds(expr.horizon) / 60;
  const factor = 100 / value;
  const lookback = seconds(expr.lookback ?? defaultForecastLookback) / 60;
  if (lookback < 2) throw new Error(`lookback ${expr.lookback} holds fewer than two one-minute samples`);
  return [
    { series: seriesName(expr.used.metric.name, used), values: `0+1x${steps}` },
    { series: seriesName(expr.capacity.metric.name, capacity), values: `${num(factor * horizon)}+${num(factor)}x${steps}` },
  ];
}
