import { compoundSeconds, formatDuration, type Duration } from '../model/duration.ts';
import type { FileSet } from '../output/fileset.ts';
import { ruleFileFacts, type GroupFacts, type RecordUse } from './rule-files.ts';

// Whether each rule group runs often enough for the rules that read what it records. promtool
// test rules evaluates every group at the test file's evaluation_interval and ignores their
// own `interval` (2.42 and later), so no unit test can see a group that runs too rarely: a long
// SLO group at 30m instead of 2m, or 5m aggregates recorded less often than every 5m.

/** Prometheus's default --query.lookback-delta: an instant read finds no sample older than this. */
const lookback = 300;

/** `slo:sli_events:rate5m` → 5m: the convention `level:metric:operation<range>` of a rate over a range. */
const rateRange = (record: string): number | undefined => {
  const match = /:(?:rate|increase)(\d+[smhdwy])$/.exec(record);
  return match ? compoundSeconds(match[1]!) : undefined;
};

/**
 * Every group of the generated rule files that runs too rarely for its readers: a series read
 * from another group must be refreshed twice within the lookback (so a missed round still
 * leaves one), and a rate over a range summed with sum_over_time must be recorded at least once
 * per range (or events between evaluations go uncounted). Groups without `interval` run at
 * the global `evaluationInterval`. Reads the rule files' facts (rule-files.ts), parsed once.
 */
export function ruleIntervalFindings(files: FileSet, evaluationInterval: Duration = '1m'): string[] {
  const findings: string[] = [];
  for (const [path, { groups }] of ruleFileFacts(files)) {
    const writers = new Map<string, { group: GroupFacts; labels: Readonly<Record<string, string>> }[]>();
    for (const group of groups)
      for (const write of group.writes) {
        const known = writers.get(write.record) ?? [];
        known.push({ group, labels: write.labels });
        writers.set(write.record, known);
      }
    // The groups recording what a read selects: the record's name, and labels it does not contradict.
    const writersOf = (read: RecordUse): GroupFacts[] =>
      (writers.get(read.record) ?? [])
        .filter((writer) => Object.entries(read.labels).every(([label, value]) => (writer.labels[label] ?? value) === value))
        .map((writer) => writer.group);
    const every = (group: GroupFacts): number => compoundSeconds(group.interval ?? evaluationInterval) ?? 60;
    const reported = new Set<string>();
    const report = (key: string, message: string): void => {
      if (reported.has(key)) return;
      reported.add(key);
      findings.push(`${path}: ${message} (promtool test rules ignores a group's interval, so \`monforge check\` checks it)`);
    };
    for (const reader of groups) {
      for (const read of reader.reads) {
        const { record } = read;
        for (const writer of writersOf(read)) {
          const interval = every(writer);
          if (writer !== reader && interval * 2 > lookback)
            report(
              `${writer.name} ${reader.name}`,
              `group "${writer.name}" runs every ${formatDuration(interval)}, but group "${reader.name}" reads its ${record}: a series not refreshed within Prometheus's ${formatDuration(lookback)} lookback goes missing after one late round; run it at most every ${formatDuration(lookback / 2)}`,
            );
          const range = rateRange(record);
          if (range !== undefined && interval > range && read.overTime)
            report(
              `${writer.name} ${record}`,
              `group "${writer.name}" runs every ${formatDuration(interval)}, but its ${record} covers ${formatDuration(range)} and "${reader.name}" sums it over time: events between its evaluations go uncounted; run it at most every ${formatDuration(range)}`,
            );
        }
      }
    }
  }
  return findings;
}
