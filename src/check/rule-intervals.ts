import { compoundSeconds, formatDuration, type Duration } from '../model/duration.ts';
import { sortedPaths, type FileSet } from '../output/fileset.ts';
import { FileProblems } from '../reader/problems.ts';
import { parseRuleFile } from '../reader/rules.ts';
import type { RuleGroup } from '../reader/types.ts';

// Whether each rule group runs often enough for the rules that read what it records. promtool
// test rules evaluates every group at the test file's evaluation_interval and ignores their
// own `interval` (2.42 and later), so no unit test can see a group that runs too rarely: a long
// SLO group at 30m instead of 2m, or 5m aggregates recorded less often than every 5m.

/** Prometheus's default --query.lookback-delta: an instant read finds no sample older than this. */
const lookback = 300;

/**
 * The recorded series (their names hold a colon) an expression reads, with the equality
 * matchers it selects them by, outside string literals.
 */
function recordsRead(expr: string): { name: string; labels: Record<string, string> }[] {
  const reads: { name: string; labels: Record<string, string> }[] = [];
  for (const match of expr.matchAll(/([A-Za-z_][A-Za-z0-9_]*:[A-Za-z0-9_:]*)(\{(?:[^}"]|"(?:[^"\\]|\\.)*")*\})?/g)) {
    const before = expr.slice(0, match.index);
    if ((before.match(/"/g)?.length ?? 0) % 2 === 1) continue; // inside a string literal
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"/g)].map((each) => [each[1]!, each[2]!]),
    );
    reads.push({ name: match[1]!, labels });
  }
  return reads;
}

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
 * the global `evaluationInterval`.
 */
export function ruleIntervalFindings(files: FileSet, evaluationInterval: Duration = '1m'): string[] {
  const findings: string[] = [];
  for (const path of sortedPaths(files).filter((each) => each.startsWith('prometheus/rules/'))) {
    const { groups } = parseRuleFile(path, files.get(path)!, new FileProblems(path));
    const writers = new Map<string, { group: RuleGroup; labels: Readonly<Record<string, string>> }[]>();
    for (const group of groups)
      for (const rule of group.rules)
        if ('record' in rule) writers.set(rule.record, [...(writers.get(rule.record) ?? []), { group, labels: rule.labels }]);
    // The groups recording what a read selects: the record's name, and labels it does not contradict.
    const writersOf = (read: { name: string; labels: Record<string, string> }): RuleGroup[] =>
      (writers.get(read.name) ?? [])
        .filter((writer) => Object.entries(read.labels).every(([label, value]) => (writer.labels[label] ?? value) === value))
        .map((writer) => writer.group);
    const every = (group: RuleGroup): number => compoundSeconds(group.interval ?? evaluationInterval) ?? 60;
    const reported = new Set<string>();
    const report = (key: string, message: string): void => {
      if (reported.has(key)) return;
      reported.add(key);
      findings.push(`${path}: ${message} (promtool test rules ignores a group's interval, so \`monforge check\` checks it)`);
    };
    for (const reader of groups) {
      for (const rule of reader.rules) {
        for (const read of recordsRead(rule.expr)) {
          const record = read.name;
          for (const writer of writersOf(read)) {
            const interval = every(writer);
            if (writer !== reader && interval * 2 > lookback)
              report(
                `${writer.name} ${reader.name}`,
                `group "${writer.name}" runs every ${formatDuration(interval)}, but group "${reader.name}" reads its ${record}: a series not refreshed within Prometheus's ${formatDuration(lookback)} lookback goes missing after one late round; run it at most every ${formatDuration(lookback / 2)}`,
              );
            const range = rateRange(record);
            if (range !== undefined && interval > range && rule.expr.includes(`_over_time(${record}`))
              report(
                `${writer.name} ${record}`,
                `group "${writer.name}" runs every ${formatDuration(interval)}, but its ${record} covers ${formatDuration(range)} and "${reader.name}" sums it over time: events between its evaluations go uncounted; run it at most every ${formatDuration(range)}`,
              );
          }
        }
      }
    }
  }
  return findings;
}
