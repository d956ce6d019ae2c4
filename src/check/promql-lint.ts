import type { FileSet } from '../output/fileset.ts';
import { promqlErrorsFor } from '../promql/parse.ts';
import { ruleFiles } from './rule-files.ts';

/** Parses every rule expression of the generated rule files with lezer-promql. */
export function promqlFindings(files: FileSet): string[] {
  const findings: string[] = [];
  for (const [path, content] of ruleFiles(files)) {
    for (const group of content.groups ?? []) {
      for (const rule of group.rules) {
        const name = rule.alert
          ? `alert "${rule.alert}"${rule.labels?.severity ? ` (${rule.labels.severity})` : ''}`
          : `record "${rule.record}"`;
        for (const error of promqlErrorsFor(rule.expr)) findings.push(`${path}: group "${group.name}" › ${name}: invalid PromQL: ${error}`);
      }
    }
  }
  return findings;
}
