import { parseAlertTemplate, renderAlertTemplate } from '../../../promql/template.ts';
import type { AlertingRule } from '../rules.ts';
import type { ExpectedAlert } from './promtool.ts';

/**
 * The alert promtool must see for a rule, given the labels of the expression's result and its
 * value: rule labels win over series labels, annotations rendered the way Prometheus does.
 */
export function expectedAlert(rule: AlertingRule, seriesLabels: Record<string, string>, value: number): ExpectedAlert {
  const exp_annotations: Record<string, string> = {};
  for (const [key, text] of Object.entries(rule.annotations)) {
    const parsed = parseAlertTemplate(text);
    if ('error' in parsed) throw new Error(`alert ${rule.alert}: annotation ${key}: ${parsed.error}`);
    exp_annotations[key] = renderAlertTemplate(parsed, seriesLabels, value);
  }
  const merged: Record<string, string> = { ...seriesLabels, ...rule.labels };
  const exp_labels = Object.fromEntries(Object.keys(merged).sort().map((label) => [label, merged[label]!]));
  return { exp_labels, exp_annotations };
}
