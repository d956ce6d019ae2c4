import path from 'node:path';
import { compoundSeconds, formatDuration } from '../../model/duration.ts';
import type { AlertCase } from '../../model/rule-group.ts';
import type { InputDocument } from '../document.ts';
import type { ImportContext } from '../importer.ts';

// The alert cases of `promtool test rules` files given with the rules: each alert_rule_test
// item becomes a case of its alert, with its group's input series and interval. They are kept
// where they pass against the imported rules (tests.ts runs them).

/** The alert cases of the given promtool test files, by alert name, exactly as written. */
export function carriedCases(files: readonly InputDocument[], context: ImportContext): Map<string, AlertCase[]> {
  const byName = new Map<string, AlertCase[]>();
  for (const document of files) {
    const file = document.value as { evaluation_interval?: string; tests?: unknown[] };
    let skipped = 0;
    (file.tests ?? []).forEach((raw, index) => {
      const test = raw as {
        name?: string;
        interval?: string;
        input_series?: { series: string; values: string }[];
        alert_rule_test?: {
          eval_time: string;
          alertname: string;
          exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
        }[];
        promql_expr_test?: unknown[];
      };
      skipped += test.promql_expr_test?.length ?? 0;
      const interval = compoundSeconds(test.interval ?? file.evaluation_interval ?? '1m');
      for (const item of test.alert_rule_test ?? []) {
        const at = compoundSeconds(String(item.eval_time));
        if (at === undefined || interval === undefined) continue;
        const alert: AlertCase = {
          name: `${test.name ?? `test ${index + 1}`} (carried over from ${path.basename(document.file)})`,
          interval: formatDuration(interval),
          series: (test.input_series ?? []).map((each) => ({ series: String(each.series), values: String(each.values) })),
          at: formatDuration(at),
          fires: (item.exp_alerts ?? []).map((expected) => ({
            labels: { ...expected.exp_labels },
            annotations: { ...expected.exp_annotations },
          })),
        };
        byName.set(item.alertname, [...(byName.get(item.alertname) ?? []), alert]);
      }
    });
    if (skipped > 0)
      context.note('not carried over', `${document.file}: ${skipped} promql_expr_test cases (import carries the alert cases)`);
  }
  return byName;
}
