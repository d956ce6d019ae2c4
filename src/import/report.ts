import type { ProofPart, SecretFile } from './importer.ts';
import { formatRefusal, type Refusal } from './refusal.ts';

/** What an import did, as data; formatReport turns it into the command's output. */
export interface ImportReport {
  /** Files written, relative to the project root; none when anything was refused. */
  readonly written: readonly string[];
  readonly refusals: readonly Refusal[];
  readonly inferred: readonly string[];
  readonly secrets: readonly SecretFile[];
  /** Other lists by heading (`untested`), in the order importers noted them. */
  readonly notes: ReadonlyMap<string, readonly string[]>;
  readonly proof: readonly ProofPart[];
}

export const importSucceeded = (report: ImportReport): boolean =>
  report.refusals.length === 0 && report.written.length > 0 && report.proof.every((part) => part.ok);

/** The report: refusals alone when there are any; else what was written and inferred, the secrets to create, the notes, the proof. */
export function formatReport(report: ImportReport): string {
  if (report.refusals.length > 0) {
    const count = report.refusals.length;
    return `${report.refusals.map(formatRefusal).join('\n')}\n${count} refusal${count === 1 ? '' : 's'}: nothing written\n`;
  }
  const sections: string[] = [];
  const list = (heading: string, lines: readonly string[]): void => {
    if (lines.length > 0) sections.push(`${heading}:\n${lines.map((line) => `  ${line}`).join('\n')}`);
  };
  list(`wrote ${report.written.length} file${report.written.length === 1 ? '' : 's'}`, report.written);
  list('inferred', report.inferred);
  list(
    'secret files to create (each value was inline in the source; it was not written anywhere)',
    report.secrets.map((secret) => `${secret.path}  ← ${secret.from}`),
  );
  for (const [heading, lines] of report.notes) list(heading, lines);
  for (const part of report.proof) list(part.summary, part.details);
  if (report.proof.length > 0) sections.push(report.proof.map((part) => part.summary).join(' · '));
  return `${sections.join('\n')}\n`;
}
