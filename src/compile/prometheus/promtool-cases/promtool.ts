import type { Duration } from '../../../model/duration.ts';
import type { TestSeries } from '../../../model/expr.ts';

// The promtool unit-test file format (rules unit testing), as plain typed objects.

export interface ExpectedAlert {
  readonly exp_labels: Record<string, string>;
  readonly exp_annotations: Record<string, string>;
}

export interface AlertTestCase {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: ExpectedAlert[];
}

export interface ExprTestCase {
  readonly expr: string;
  readonly eval_time: string;
  readonly exp_samples: { labels: string; value: number }[];
}

export interface TestGroup {
  readonly name: string;
  /** The step of the input series. */
  readonly interval: Duration;
  readonly input_series: TestSeries[];
  readonly alert_rule_test: AlertTestCase[];
  readonly promql_expr_test?: ExprTestCase[];
}

/** Test evaluation steps are one minute; durations are written in whole minutes. */
export const minutes = (count: number): string => `${count}m`;
