import { parseAlertTemplate, renderAlertTemplate, type ParsedTemplate } from '../../../promql/template.ts';
import type { AlertingRule } from '../rules.ts';
import type { ExpectedAlert } from './promtool.ts';

/** Each rule's annotation templates, parsed once: tests render them for many values. */
const parsedByRule = new WeakMap<AlertingRule, readonly [key: string, template: ParsedTemplate][]>();

export function parsedAnnotations(rule: AlertingRule): readonly [key: string, template: ParsedTemplate][] {
  let parsed = parsedByRule.get(rule);
  if (parsed === undefined) {
    parsed = Object.entries(rule.annotations).map(([key, text]): [string, ParsedTemplate] => {
      const template = parseAlertTemplate(text);
      if ('error' in template) throw new Error(`alert ${rule.alert}: annotation ${key}: ${template.error}`);
      return [key, template];
    });
    parsedByRule.set(rule, parsed);
  }
  return parsed;
}

/** A rule's annotations as Prometheus renders them for an alert with these labels and value. */
export function renderedAnnotations(rule: AlertingRule, seriesLabels: Record<string, string>, value: number): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const [key, template] of parsedAnnotations(rule)) annotations[key] = renderAlertTemplate(template, seriesLabels, value);
  return annotations;
}

/**
 * The alert promtool must see for a rule, given the labels of the expression's result and its
 * value: rule labels win over series labels, annotations rendered the way Prometheus does.
 */
export function expectedAlert(rule: AlertingRule, seriesLabels: Record<string, string>, value: number): ExpectedAlert {
  // Object.assign rather than `{ ...a, ...b }`, which Node 20 runs several times slower here.
  const merged: Record<string, string> = Object.assign({}, seriesLabels, rule.labels);
  const exp_labels = Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((label) => [label, merged[label]!]),
  );
  return { exp_labels, exp_annotations: renderedAnnotations(rule, seriesLabels, value) };
}
