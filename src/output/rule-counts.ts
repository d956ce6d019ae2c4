// How many alerts and recording rules a set of generated files holds, for generate's summary
// line. A part taken from generated/ unread (cache/kept-files.ts) carries the count its files
// had when they were compiled.
import type { FileSet } from './fileset.ts';

export interface RuleCounts {
  readonly alerts: number;
  readonly records: number;
}

/** The alerts and recording rules of the Prometheus rule files among `files`. */
export function countRules(files: FileSet): RuleCounts {
  let alerts = 0;
  let records = 0;
  for (const [path, content] of files) {
    if (!path.startsWith('prometheus/rules/')) continue;
    alerts += content.match(/^ *- alert: /gm)?.length ?? 0;
    records += content.match(/^ *- record: /gm)?.length ?? 0;
  }
  return { alerts, records };
}
