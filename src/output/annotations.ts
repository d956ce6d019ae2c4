import { createHash } from 'node:crypto';

// CI annotations on a file and line, shared by every command that reports on definitions
// (`diff`, `check --prometheus`): GitHub Actions workflow commands and GitLab Code Quality.

export type AnnotationLevel = 'error' | 'warning' | 'notice';

const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One GitHub Actions workflow command: `::error file=…,line=…,title=…::message`. */
export function githubAnnotation(level: AnnotationLevel, at: { path: string; line: number }, title: string, message: string): string {
  return `::${level} file=${escapeProperty(at.path)},line=${at.line},title=${escapeProperty(title)}::${escapeData(message)}\n`;
}

/** GitHub shows ten errors and ten warnings per step: the most severe go first. */
export const annotationRank: Record<AnnotationLevel, number> = { error: 0, warning: 1, notice: 2 };

export interface CodeQualityEntry {
  readonly description: string;
  readonly checkName: string;
  readonly severity: 'blocker' | 'critical' | 'major' | 'minor' | 'info';
  readonly path: string;
  readonly line: number;
  /** What the entry is about, stable across runs (no line numbers), so GitLab can tell new findings from fixed ones. */
  readonly identity: string;
}

/** A GitLab Code Quality report: merge requests show each entry on the file and line it names. */
export function gitlabCodeQuality(entries: readonly CodeQualityEntry[]): string {
  const seen = new Map<string, number>();
  const issues = entries.map((entry) => {
    // Unique within the report even when two entries are about the same thing.
    const repeat = seen.get(entry.identity) ?? 0;
    seen.set(entry.identity, repeat + 1);
    return {
      description: entry.description,
      check_name: entry.checkName,
      fingerprint: createHash('sha256').update(`${entry.identity}\0${repeat}`).digest('hex'),
      severity: entry.severity,
      location: { path: entry.path, lines: { begin: entry.line } },
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
