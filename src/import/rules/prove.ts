import { alertsOf, pairAlerts, severityOf } from '../../diff/alert-pairs.ts';
import { labelKey, pairBy, sameValue } from '../../diff/labels.ts';
import { compoundSeconds } from '../../model/duration.ts';
import { toYaml } from '../../output/serialize.ts';
import { canonicalPromql } from '../../promql/parse.ts';
import {
  type AlertingRule,
  type GeneratedTree,
  type Located,
  parseGeneratedTree,
  type RecordingRule,
  recordingRules,
  type Rule,
} from '../../reader/index.ts';
import type { CompiledProject, ProofPart } from '../importer.ts';
import type { SourceGroup } from './read.ts';

// The proof that the written groups are the originals: both sides read through the one reader
// of generated trees, alerts paired as `diff` pairs them (by name and labels), recording rules
// by series; every pair compared field by field — expression (as a query, whitespace aside),
// `for`, `keep_firing_for`, labels, annotations, and the group it sits in with its interval.

/** The originals as a generated tree: one rule file per input document, groups as given. */
export function originalTree(groups: readonly SourceGroup[]): GeneratedTree {
  const byDocument = new Map<SourceGroup['document'], unknown[]>();
  for (const group of groups) byDocument.set(group.document, [...(byDocument.get(group.document) ?? []), group.raw]);
  const files = new Map(
    [...byDocument.values()].map((raws, index) => [`prometheus/rules/input-${index + 1}.rules.yml`, toYaml({ groups: raws })]),
  );
  return parseGeneratedTree(files, 'the originals');
}

/** Only the rule files compiled from the written definitions. */
export function writtenTree(project: CompiledProject): GeneratedTree {
  const written = new Set(project.written);
  return { ...project.tree, ruleFiles: project.tree.ruleFiles.filter((file) => file.sources.some((source) => written.has(source))) };
}

const seconds = (value: string | undefined): number | undefined => (value === undefined ? 0 : compoundSeconds(value));

/** The fields of a rule that differ, by name. */
function differences(base: Located<Rule>, head: Located<Rule>): string[] {
  const found: string[] = [];
  if (canonicalPromql(base.rule.expr) !== canonicalPromql(head.rule.expr)) found.push('expr');
  if (!sameValue(base.rule.labels, head.rule.labels)) found.push('labels');
  if ('alert' in base.rule && 'alert' in head.rule) {
    if (seconds(base.rule.for) !== seconds(head.rule.for)) found.push('for');
    if (seconds(base.rule.keep_firing_for) !== seconds(head.rule.keep_firing_for)) found.push('keep_firing_for');
    if (!sameValue(base.rule.annotations, head.rule.annotations)) found.push('annotations');
  }
  if (base.group.name !== head.group.name) found.push(`group (${head.group.name})`);
  else if (seconds(base.group.interval) !== seconds(head.group.interval)) found.push('group interval');
  return found;
}

const ruleName = (rule: Rule): string => ('alert' in rule ? `alert ${rule.alert}` : `record ${rule.record}`);
const described = (located: Located<Rule>): string =>
  `${ruleName(located.rule)}${'alert' in located.rule ? ` (${severityOf(located.rule) || 'no severity'})` : ''} in group "${located.group.name}"`;

/** `312/312 rules equivalent`, with one line per rule that is missing, added or different. */
export function proveRules(groups: readonly SourceGroup[], project: CompiledProject): ProofPart {
  const base = originalTree(groups);
  const head = writtenTree(project);
  const details: string[] = [];
  let total = 0;
  let equivalent = 0;
  const compare = (from: Located<Rule> | undefined, to: Located<Rule> | undefined): void => {
    if (from) total += 1;
    if (from && to) {
      const fields = differences(from, to);
      if (fields.length === 0) equivalent += 1;
      else details.push(`${described(from)}: ${fields.join(', ')} differ${fields.length === 1 ? 's' : ''}`);
    } else if (from) details.push(`${described(from)}: missing from what the definitions compile to`);
    else if (to) details.push(`${described(to)}: compiled from the definitions but not in the originals`);
  };
  for (const pair of pairAlerts(alertsOf(base), alertsOf(head))) {
    for (const level of pair.levels)
      compare(level.base as Located<AlertingRule> | undefined, level.head as Located<AlertingRule> | undefined);
  }
  const series = (located: Located<RecordingRule>): string => `${located.rule.record}${labelKey(located.rule.labels)}`;
  const records = pairBy(recordingRules(base), recordingRules(head), series);
  for (const [from, to] of records.pairs) compare(from, to);
  for (const from of records.removed) compare(from, undefined);
  for (const to of records.added) compare(undefined, to);
  return { summary: `${equivalent}/${total} rules equivalent`, ok: details.length === 0, details };
}
