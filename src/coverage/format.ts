import { resourceKinds } from '../model/signals.ts';
import { coverageSignals, type Cell, type CoverageReport, type CoverageSignal } from './analyze.ts';

// How `monforge coverage` prints a report: a Markdown table for people and pull requests, JSON
// for tools. The analysis is analyze.ts.

export const coverageFormats = ['markdown', 'json'] as const;
export type CoverageFormat = (typeof coverageFormats)[number];

const headings: Record<CoverageSignal, string> = {
  availabilitySlo: 'availability SLO',
  latencySlo: 'latency SLO',
  errorRatio: 'error ratio',
  latency: 'latency',
  liveness: 'liveness',
  absent: 'absent',
  saturation: 'saturation',
  playbook: 'playbook',
  dashboard: 'dashboard',
};

export function formatCoverage(report: CoverageReport, format: CoverageFormat): string {
  return format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : markdown(report);
}

/** A pipe would end the table cell. */
const escapePipes = (text: string): string => text.replace(/\|/g, '\\|');

function cellText(cell: Cell): string {
  const parts = cell.resources;
  // Resources shown one by one only when they differ.
  if (parts && new Set(resourceKinds.map((resource) => cellText(parts[resource]))).size > 1) {
    return resourceKinds.map((resource) => `${resource} ${cellText(parts[resource])}`).join('; ');
  }
  if (parts) return cellText(parts.memory);
  switch (cell.status) {
    case 'covered':
      return '✓';
    case 'opted out':
      return `opted out (${escapePipes(cell.reason ?? '')})`;
    case 'missing':
      return '**missing**';
  }
}

function markdown(report: CoverageReport): string {
  const lines = [
    `| service | tier | ${coverageSignals.map((signal) => headings[signal]).join(' | ')} |`,
    `| --- | --- | ${coverageSignals.map(() => '---').join(' | ')} |`,
    ...report.services.map(
      (service) =>
        `| ${service.service} | ${service.tier} | ${coverageSignals.map((signal) => cellText(service.signals[signal])).join(' | ')} |`,
    ),
    '',
    `${report.totals.covered} covered, ${report.totals['opted out']} opted out, ${report.totals.missing} missing.`,
  ];
  const missing = report.services.flatMap((service) =>
    coverageSignals.flatMap((signal) => {
      const cell = service.signals[signal];
      if (cell.status !== 'missing') return [];
      const parts = cell.resources
        ? resourceKinds
            .filter((resource) => cell.resources![resource].status === 'missing')
            .map((resource) => [`${headings[signal]} (${resource})`, cell.resources![resource].reason])
        : [[headings[signal], cell.reason]];
      return parts.map(([what, why]) => `- ${service.service} › ${what}: ${why}`);
    }),
  );
  if (missing.length > 0) lines.push('', 'Missing:', ...missing);
  const inferred = report.services.flatMap((service) =>
    coverageSignals.flatMap((signal) => (service.signals[signal].inferred ?? []).map((by) => `- ${service.service} › ${headings[signal]}: ${by}`)),
  );
  if (inferred.length > 0) lines.push('', 'Inferred (alerts without `covers` that measure the signal; add `covers` to say so):', ...inferred);
  if (report.untested.length > 0)
    lines.push(
      '',
      'Untested (no promtool case fires them):',
      ...report.untested.map(
        (each) => `- ${each.service} › ${each.group} › ${each.alert}${each.severity === undefined ? '' : ` (${each.severity})`}: ${each.reason}`,
      ),
    );
  return `${lines.join('\n')}\n`;
}
