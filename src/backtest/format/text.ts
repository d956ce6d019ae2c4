import type { BacktestReport, SideReport } from '../index.ts';
import { formatSpan, formatTime } from '../time.ts';
import { delta, fired, mean, neverFired, overall, pairRows, percent, span } from './summary.ts';

/** Columns padded to their widest cell; numbers right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const numeric = header.map((_, column) => rows.length > 0 && rows.every((row) => /^[-−+–0-9.% /smhd]*$/.test(row[column]!)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (numeric[column] && column > 0 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function notificationLines(report: BacktestReport): string[] {
  const head = report.head.notifications;
  if (!head) return ['notifications: no alertmanager.yml in the generated tree'];
  const base = report.base?.notifications;
  const severities = [...new Set([...head.bySeverity, ...(base?.bySeverity ?? [])].map((each) => each.severity))];
  const rows = severities.map((severity) => {
    const ofHead = head.bySeverity.find((each) => each.severity === severity);
    const ofBase = base?.bySeverity.find((each) => each.severity === severity);
    const receivers = Object.entries(ofHead?.receivers ?? {})
      .map(([receiver, count]) => `${receiver} ${count}`)
      .join(', ');
    return [
      severity || '(none)',
      String(ofHead?.firing ?? 0),
      ...(base ? [String(ofBase?.firing ?? 0), delta(ofHead?.firing ?? 0, ofBase?.firing ?? 0)] : []),
      String(ofHead?.resolved ?? 0),
      receivers,
    ];
  });
  return [
    'notifications after Alertmanager (routes, grouping, group_wait/group_interval/repeat_interval, inhibition, time intervals):',
    table(['severity', 'notifications', ...(base ? ['base', 'Δ'] : []), 'resolved', 'receivers'], rows),
  ];
}

function incidentLines(report: BacktestReport, side: SideReport): string[] {
  const all = overall(side);
  if (!all || !side.incidents) return [];
  const rows = side.rows
    .filter((row) => row.measures && (row.measures.incidents > 0 || row.measures.episodes > 0))
    .map((row) => {
      const m = row.measures!;
      return [
        row.name,
        row.severity,
        m.incidents === 0 ? '–' : `${m.caught}/${m.incidents}`,
        m.episodes === 0 ? '–' : `${m.matching}/${m.episodes}`,
        span(mean(m.detection)),
        span(mean(m.reset)),
      ];
    });
  const outcomes = side.incidents.map((each) => {
    if (each.quiet)
      return `  ${each.name}: no alert expected; ${each.quiet.fired.length === 0 ? 'none fired' : `fired: ${each.quiet.fired.join(', ')}`}`;
    return each.detection === undefined
      ? `  ${each.name} (${formatTime(each.start)} → ${formatTime(each.end)}): missed`
      : `  ${each.name}: caught by ${each.detectedBy} after ${formatSpan(each.detection)}, all resolved ${formatSpan(each.reset!)} after its end`;
  });
  return [
    '',
    `against ${report.incidents?.length ?? 0} incidents (${side.label}): recall (incidents caught), precision (episodes during an incident), mean detection and reset time`,
    table(['alert', 'severity', 'recall', 'precision', 'detection', 'reset'], rows),
    `overall: recall ${all.caught}/${all.incidents} (${percent(all.caught, all.incidents)}), precision ${all.matching}/${all.episodes} (${percent(all.matching, all.episodes)}), false positives ${percent(all.episodes - all.matching, all.episodes)}, detection mean ${span(all.meanDetection)} (max ${span(all.maxDetection)}), reset mean ${span(all.meanReset)}`,
    ...outcomes,
  ];
}

/** Up to eight items, one a line, then how many more (all of them are in the JSON report). */
function listed(items: readonly string[], what: string): string[] {
  const shown = items.slice(0, 8).map((item) => `  ${what}: ${item}`);
  return items.length > 8 ? [...shown, `  … and ${items.length - 8} more (--format json lists them all)`] : shown;
}

/** The report as a terminal table: alerts (base side by side when given), notifications, incidents, sources, errors. */
export function formatText(report: BacktestReport): string {
  const base = report.base;
  const pairs = pairRows(report);
  const rows = pairs.filter(fired).map((pair) => {
    const head = pair.head;
    const count = head?.episodes.length ?? 0;
    return [
      pair.name,
      pair.severity,
      head ? formatSpan(head.interval) : '–',
      head ? String(count) : '–',
      head ? formatSpan(head.firingSeconds) : '–',
      head ? formatSpan(head.longestSeconds) : '–',
      head ? String(head.flapping) : '–',
      ...(base
        ? [
            pair.base ? String(pair.base.episodes.length) : '–',
            pair.head && pair.base ? delta(count, pair.base.episodes.length) : pair.head ? 'new' : 'removed',
          ]
        : []),
    ];
  });
  const sources = report.head.rows.flatMap((row) => row.sources);
  const how = (kind: string) => [...new Set(sources.filter((each) => each.how === kind).map((each) => each.selector))];
  const errors = [...report.head.rows, ...(base?.rows ?? [])].flatMap((row) =>
    row.errors.map((error) => `  ${row.name} (${row.severity}): ${error}`),
  );
  return [
    `monforge backtest: ${report.prometheus}, ${formatTime(report.from)} → ${formatTime(report.to)} (${formatSpan(report.to - report.from)}), global evaluation interval ${formatSpan(report.evaluationInterval)}`,
    `head: ${report.head.label}${base ? ` · base: ${base.label}` : ''}`,
    '',
    table(
      [
        'alert',
        'severity',
        'every',
        'episodes',
        'firing',
        'longest',
        `flapping (<${report.flappingEvaluations} evals)`,
        ...(base ? ['base', 'Δ'] : []),
      ],
      rows,
    ),
    ...(neverFired(pairs) ? [neverFired(pairs)!] : []),
    '',
    ...notificationLines(report),
    ...incidentLines(report, report.head),
    ...(base ? incidentLines(report, base) : []),
    '',
    `recording rules read by these alerts: ${how('inlined').length} inlined, ${how('subquery').length} recomputed with a subquery at their group's interval, ${how('server').length} read from the server`,
    ...listed(how('subquery'), 'subquery'),
    ...listed(how('server'), 'from the server'),
    ...(errors.length > 0 ? ['errors:', ...errors] : []),
    '',
  ].join('\n');
}
