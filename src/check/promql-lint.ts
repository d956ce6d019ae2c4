import type { FileSet } from '../output/fileset.ts';
import { ruleFileFacts } from './rule-files.ts';

/** Parses every rule expression of the generated rule files with lezer-promql. */
export function promqlFindings(files: FileSet): string[] {
  return [...ruleFileFacts(files).values()].flatMap((facts) => facts.findings);
}
