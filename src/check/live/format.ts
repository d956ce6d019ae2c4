import { annotationRank, githubAnnotation, gitlabCodeQuality, type AnnotationLevel } from '../../output/annotations.ts';
import type { LiveFinding, LiveLevel, LiveReport, QueryCost } from './types.ts';

// The live report as text, JSON, GitHub annotations or a GitLab Code Quality report (the
// formats of `diff`, through output/annotations.ts), each finding on its definition's line.

export const liveFormats = ['text', 'json', 'github', 'gitlab'] as const;
export type LiveFormat = (typeof liveFormats)[number];

const count = (value: number, word: string, words = `${word}s`): string => `${value.toLocaleString('en-US')} ${value === 1 ? word : words}`;

const where = (finding: LiveFinding): string => `${finding.object}${finding.field === undefined ? '' : ` › ${finding.field}`}`;

/** One line: what, where, why and the fix. */
export const sentence = (finding: LiveFinding): string => `${where(finding)}: ${finding.message.replace(/\.$/, '')}. Fix: ${finding.fix}.`;

/** `file:line: level: object › field: message. Fix: fix. [id]`: the id last, as every finding's (docs/reference/findings.md). */
export const findingLine = (finding: LiveFinding): string =>
  `${finding.file}:${finding.line}: ${finding.level}: ${sentence(finding)} [${finding.check}]`;

function tally(findings: readonly LiveFinding[]): Record<LiveLevel, number> {
  return {
    error: findings.filter((finding) => finding.level === 'error').length,
    warning: findings.filter((finding) => finding.level === 'warning').length,
    note: findings.filter((finding) => finding.level === 'note').length,
  };
}

function totals(costs: readonly QueryCost[]): { queries: number; series: number; samples: number; unmeasured: number } {
  return {
    queries: costs.length,
    series: costs.reduce((sum, cost) => sum + cost.series, 0),
    samples: costs.reduce((sum, cost) => sum + (cost.samples ?? 0), 0),
    unmeasured: costs.filter((cost) => cost.samples === undefined).length,
  };
}

/** `live check of URL (Prometheus 2.42.0): 1 error, 2 warnings, 0 notes; 85 calls`. */
export function summaryLine(report: LiveReport): string {
  const levels = tally(report.findings);
  return `live check of ${report.url}${report.server ? ` (${report.server})` : ''}: ${count(levels.error, 'error')}, ${count(levels.warning, 'warning')}, ${count(levels.note, 'note')}; ${count(report.calls, 'call')}`;
}

/** The cost figures: totals of rules and dashboard queries, and the rules that read the most. */
export function costLines(report: LiveReport, heaviest = 5): string[] {
  if (report.costs.length === 0) return [];
  const rules = report.costs.filter((cost) => cost.kind !== 'panel');
  const panels = report.costs.filter((cost) => cost.kind === 'panel');
  const figures = (of: readonly QueryCost[], what: string): string => {
    const sum = totals(of);
    return `${what} read ${count(sum.series, 'series', 'series')} now, ${count(sum.samples, 'sample')} per evaluation`;
  };
  const lines = [
    `cost: ${figures(rules, count(rules.length, 'rule'))}; ${figures(panels, count(panels.length, 'dashboard query', 'dashboard queries'))} (budget: ${report.budget.toLocaleString('en-US')} series per rule)`,
  ];
  const top = [...rules].sort((a, b) => b.series - a.series || (b.samples ?? 0) - (a.samples ?? 0)).slice(0, heaviest);
  if (top.length > 0 && top[0]!.series > 0) {
    lines.push('heaviest rules:');
    for (const cost of top.filter((each) => each.series > 0)) {
      const samples = cost.samples === undefined ? 'samples unknown' : count(cost.samples, 'sample');
      lines.push(`  ${count(cost.series, 'series', 'series')}, ${samples}  ${cost.kind} ${cost.name}  ${cost.file}:${cost.line}`);
    }
  }
  return lines;
}

export function formatLiveText(report: LiveReport): string {
  return [...report.findings.map(findingLine), ...costLines(report), summaryLine(report)].map((line) => `${line}\n`).join('');
}

/** Everything as data: findings, every rule's and dashboard query's cost, and the findings of the offline checks. */
export function formatLiveJson(report: LiveReport, offline: readonly string[] = []): string {
  const rules = report.costs.filter((cost) => cost.kind !== 'panel');
  const panels = report.costs.filter((cost) => cost.kind === 'panel');
  return `${JSON.stringify(
    {
      prometheus: report.url,
      ...(report.server && { server: report.server }),
      summary: { ...tally(report.findings), calls: report.calls },
      findings: report.findings,
      cost: { budget: report.budget, rules: totals(rules), dashboards: totals(panels), queries: report.costs },
      offline,
    },
    null,
    2,
  )}\n`;
}

const annotationLevel: Record<LiveLevel, AnnotationLevel> = { error: 'error', warning: 'warning', note: 'notice' };

/** GitHub Actions annotations on the definition lines, errors first; `prefix` is the project's folder in its repository. */
export function formatLiveGithub(report: LiveReport, prefix: string): string {
  return [...report.findings]
    .sort((a, b) => annotationRank[annotationLevel[a.level]] - annotationRank[annotationLevel[b.level]])
    .map((finding) =>
      githubAnnotation(
        annotationLevel[finding.level],
        { path: `${prefix}${finding.file}`, line: finding.line },
        `monforge check: ${finding.check}`,
        sentence(finding),
      ),
    )
    .join('');
}

const codeQualitySeverity: Record<LiveLevel, 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', note: 'info' };

export function formatLiveGitlab(report: LiveReport, prefix: string): string {
  return gitlabCodeQuality(
    report.findings.map((finding) => ({
      description: sentence(finding),
      checkName: `monforge-check/${finding.check}`,
      severity: codeQualitySeverity[finding.level],
      path: `${prefix}${finding.file}`,
      line: finding.line,
      identity: [finding.check, finding.file, finding.object, finding.field ?? '', finding.message].join('\0'),
    })),
  );
}
