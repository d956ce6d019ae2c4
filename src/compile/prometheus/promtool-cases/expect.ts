import { isDeepStrictEqual } from 'node:util';
import { parseAlertTemplate, printsValue, renderAlertTemplate, type ParsedTemplate } from '../../../promql/template.ts';
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

/** How far promtool's arithmetic may land from a value computed here: the same sums, added in another order. */
const floatNoise = 1e-9;

/**
 * expectedAlert for a $value known up to float noise, one per way of computing it (each
 * Prometheus version's semantics): undefined when the annotations print any of them, or (unless
 * `exact`: promtool computes the value exactly so) a value a hair from one, differently. Such an
 * alert is not checked at that time, rather than checked against a guess.
 */
export function expectedAlertNear(
  rule: AlertingRule,
  seriesLabels: Record<string, string>,
  values: readonly number[],
  options: { exact: boolean },
): ExpectedAlert | undefined {
  const expected = expectedAlert(rule, seriesLabels, values[0]!);
  if (!parsedAnnotations(rule).some(([, template]) => printsValue(template))) return expected;
  const near = options.exact ? values : values.flatMap((value) => [value, value * (1 - floatNoise), value * (1 + floatNoise)]);
  return near.every((value) => isDeepStrictEqual(renderedAnnotations(rule, seriesLabels, value), expected.exp_annotations))
    ? expected
    : undefined;
}
