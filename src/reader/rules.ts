import { z } from 'zod';
import { type FileProblems, headerSources } from './problems.ts';
import type { AlertingRule, RecordingRule, Rule, RuleFile, RuleGroup } from './types.ts';

// Prometheus rule files as Prometheus reads them; keys monforge does not use are ignored, so
// files from other monforge versions (or written by hand) still read.

const text = z
  .union([z.string(), z.number(), z.boolean()], { error: (issue) => (issue.input === undefined ? 'missing' : 'expected a string') })
  .transform(String);
const labelMap = z
  .record(z.string(), text)
  .nullish()
  .transform((value) => value ?? {});

const recording = z.object({ record: z.string().min(1), expr: text, labels: labelMap });
const alerting = z.object({
  alert: z.string().min(1),
  expr: text,
  for: z.string().optional(),
  keep_firing_for: z.string().optional(),
  labels: labelMap,
  annotations: labelMap,
});
const group = z.object({ name: z.string().min(1), interval: z.string().optional(), rules: z.array(z.unknown()).nullish() });
const file = z.object({ groups: z.array(z.unknown()).nullish() }).nullable();

export function parseRuleFile(path: string, content: string, problems: FileProblems): RuleFile {
  const parsed = problems.parse(file, problems.yaml(content));
  return { path, sources: headerSources(content), groups: readRuleGroups(parsed?.groups ?? [], problems) };
}

/** Rule groups as Prometheus reads them (rule files, PrometheusRule specs, Mimir namespaces); bad ones are recorded and left out. */
export function readRuleGroups(values: readonly unknown[], problems: FileProblems, at: readonly PropertyKey[] = ['groups']): RuleGroup[] {
  const groups: RuleGroup[] = [];
  values.forEach((value, index) => {
    const read = problems.parse(group, value, [...at, index]);
    if (!read) return;
    const rules: Rule[] = [];
    (read.rules ?? []).forEach((rule, position) => {
      const where = [...at, index, 'rules', position];
      const kind = rule !== null && typeof rule === 'object' && 'record' in rule ? recording : alerting;
      const one: RecordingRule | AlertingRule | undefined = problems.parse<RecordingRule | AlertingRule>(kind, rule, where);
      if (one) rules.push(one);
    });
    groups.push({ name: read.name, ...(read.interval !== undefined && { interval: read.interval }), rules });
  });
  return groups;
}
