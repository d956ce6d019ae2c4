import * as units from '@grafana/grafana-foundation-sdk/units';
import type { ThresholdExpr, ValueUnit } from '../../model/expr.ts';
import type { MetricUnit } from '../../model/metric.ts';

// Grafana unit ids for what the definitions measure: panels show "250 ms" and "85 %", not 0.25 and 85.

/** The unit of a metric's own values (gauges, histogram observations). */
export function metricUnit(unit: MetricUnit): string {
  switch (unit) {
    case 'seconds':
      return units.Seconds;
    case 'bytes':
      return units.BytesIEC;
    case 'ratio':
      return units.PercentUnit;
    case 'percent':
      return units.Percent;
    case 'requests':
    case 'connections':
    case 'operations':
    case 'items':
      return units.Short;
    // Grafana's date units expect milliseconds; a raw Unix time in seconds is shown as a number.
    case 'timestamp_seconds':
    case 'none':
      return units.NoUnit;
  }
}

/** The unit of a counter's per-second rate. */
export function rateUnit(unit: MetricUnit): string {
  switch (unit) {
    case 'requests':
      return units.RequestsPerSecond;
    case 'operations':
      return units.OpsPerSecond;
    case 'bytes':
      return units.BytesPerSecondSI;
    case 'seconds':
      return units.Seconds;
    default:
      return units.CountsPerSecond;
  }
}

const valueUnits: Record<ValueUnit, string> = {
  percent: units.Percent,
  seconds: units.Seconds,
  bytes: units.BytesIEC,
  per_second: units.CountsPerSecond,
  ratio: units.PercentUnit,
  none: units.NoUnit,
};

/** The unit of a threshold expression's value, the unit its levels are written in. */
export function exprUnit(expr: ThresholdExpr): string {
  switch (expr.kind) {
    case 'ratio':
    case 'gaugePercent':
    case 'forecast':
    case 'baseline':
      return units.Percent;
    case 'quantile':
    case 'average':
      return metricUnit(expr.histogram.metric.unit);
    case 'gauge':
      return metricUnit(expr.gauge.metric.unit);
    case 'rate':
      return rateUnit(expr.counter.metric.unit);
    case 'promql':
      return valueUnits[expr.unit];
  }
}

/** A burn rate is a multiple of the sustainable rate: 14.4×. */
export const burnRateUnit = 'suffix:×';
