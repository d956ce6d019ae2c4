import { matches } from '../compile/alertmanager/matchers.ts';
import { parseDashboardQuery } from '../check/dashboard-targets.ts';
import { alertingRules, recordingRules, type GeneratedTree, type Labels, type RecordingRule, type Located } from '../reader/index.ts';
import { parsePromql, type ParsedSelector } from '../promql/parse.ts';
import { labelKey } from './labels.ts';
import { slosOf, sloKey } from './slos.ts';
import { soleSource, type Change } from './types.ts';

// Recording rules by name and labels. A series that is gone from the head while a rule, a
// dashboard query or a playbook's verify query of the head still selects it (and no head
// recording rule of that name could answer the selector) is breaking: those read nothing now.

/** Something in a tree that reads series: a rule, a panel's query, a playbook's verify query. */
interface Reader {
  readonly description: string;
  readonly selectors: readonly ParsedSelector[];
}

function readersOf(tree: GeneratedTree): Reader[] {
  const readers: Reader[] = [];
  for (const { rule, file } of [...alertingRules(tree), ...recordingRules(tree)]) {
    const name = 'alert' in rule ? `alert ${rule.alert}` : `recording rule ${rule.record}`;
    readers.push({ description: `${name} (${file.path})`, selectors: parsePromql(rule.expr).selectors });
  }
  for (const dashboard of tree.dashboards) {
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        readers.push({
          description: `dashboard ${dashboard.uid} panel ${panel.id ?? '?'} "${panel.title}" query ${target.refId}`,
          selectors: parseDashboardQuery(target.expr).selectors,
        });
      }
    }
  }
  for (const playbook of tree.playbooks?.playbooks ?? []) {
    if (playbook.verify)
      readers.push({ description: `playbook ${playbook.name} verify query`, selectors: parsePromql(playbook.verify.query).selectors });
  }
  return readers;
}

/** Whether a selector can select a series with these known labels (labels it lacks may come at run time). */
function canSelect(selector: ParsedSelector, name: string, labels: Labels): boolean {
  return (
    selector.name === name &&
    selector.matchers.every((matcher) => matcher.label === '__name__' || labels[matcher.label] === undefined || matches(matcher, labels))
  );
}

const seriesName = (rule: RecordingRule): string => `${rule.record}${Object.keys(rule.labels).length > 0 ? labelKey(rule.labels) : ''}`;

export function diffRecordingRules(base: GeneratedTree, head: GeneratedTree): Change[] {
  const slos = new Set([...slosOf(base).keys(), ...slosOf(head).keys()]);
  // An SLO's own series are the SLO section's: listed here only when something still reads them.
  const ownedBySlo = (rule: RecordingRule): boolean => {
    const key = sloKey(rule.labels);
    return key !== undefined && slos.has(key);
  };
  const before = new Map(recordingRules(base).map((each) => [seriesName(each.rule), each]));
  const after = new Map(recordingRules(head).map((each) => [seriesName(each.rule), each]));
  const recordedByName = groupBy([...after.values()], (each) => each.rule.record);
  // Parsing every expression of the head is only worth it when a series is gone.
  let reads: Map<string, { reader: Reader; selector: ParsedSelector }[]> | undefined;
  const readsByName = () =>
    (reads ??= groupBy(
      readersOf(head).flatMap((reader) => reader.selectors.map((selector) => ({ reader, selector }))),
      (read) => read.selector.name ?? '',
    ));
  const changes: Change[] = [];
  const common = ({ rule, file }: Located<RecordingRule>) => ({
    kind: 'recording' as const,
    object: seriesName(rule),
    file: file.path,
    source: soleSource(file.sources),
    anchors: [rule.record, ...(rule.labels.slo ? [rule.labels.slo] : []), ...(rule.labels.service ? [rule.labels.service] : [])],
  });
  for (const [key, gone] of before) {
    if (after.has(key)) continue;
    const stillRead = [
      ...new Set(
        (readsByName().get(gone.rule.record) ?? [])
          .filter(
            ({ selector }) =>
              canSelect(selector, gone.rule.record, gone.rule.labels) &&
              !(recordedByName.get(gone.rule.record) ?? []).some((each) => canSelect(selector, each.rule.record, each.rule.labels)),
          )
          .map(({ reader }) => reader.description),
      ),
    ];
    if (stillRead.length === 0 && ownedBySlo(gone.rule)) continue;
    changes.push({
      ...common(gone),
      action: 'removed',
      before: gone.rule.expr,
      breaking: stillRead.length > 0,
      ...(stillRead.length > 0 && { reason: `still read by ${stillRead.join('; ')}` }),
    });
  }
  for (const [key, now] of after) {
    if (ownedBySlo(now.rule)) continue;
    const old = before.get(key);
    if (!old) changes.push({ ...common(now), action: 'added', after: now.rule.expr, breaking: false });
    else if (old.rule.expr !== now.rule.expr)
      changes.push({ ...common(now), action: 'changed', field: 'expr', before: old.rule.expr, after: now.rule.expr, breaking: false });
  }
  return changes;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
