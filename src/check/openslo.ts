import { parseAllDocuments } from 'yaml';
import { opensloDir } from '../compile/openslo/index.ts';
import { openSloProblems } from '../compile/openslo/spec.ts';
import type { FileSet } from '../output/fileset.ts';
import { promqlErrorsFor } from '../promql/parse.ts';
import { openSloSchema } from '../findings/catalog/validators.ts';
import { findingLine } from '../findings/kind.ts';

/** The PromQL queries of an OpenSLO object's metric sources, with where they sit. */
function queries(value: unknown, at: string[] = []): { path: string; query: string }[] {
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own = at.at(-1) === 'metricSource' && typeof (record.spec as { query?: unknown } | undefined)?.query === 'string';
  return [
    ...(own ? [{ path: [...at, 'spec', 'query'].join('.'), query: (record.spec as { query: string }).query }] : []),
    ...Object.entries(record).flatMap(([key, inner]) => queries(inner, [...at, key])),
  ];
}

/**
 * Every generated OpenSLO object against OpenSLO v1 (compile/openslo/spec.ts), and every
 * query it holds against the PromQL grammar: `file: Kind "name": field: problem`.
 */
export function openSloFindings(files: FileSet): string[] {
  const findings: string[] = [];
  for (const [file, text] of files) {
    if (!file.startsWith(`${opensloDir}/`)) continue;
    for (const document of parseAllDocuments(text)) {
      const value = document.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
      if (value === null) continue;
      const object = `${String(value.kind)} "${String(value.metadata?.name)}"`;
      for (const problem of openSloProblems(value)) findings.push(findingLine(openSloSchema(file, object, problem)));
      for (const { path, query } of queries(value))
        for (const error of promqlErrorsFor(query))
          findings.push(findingLine(openSloSchema(file, object, `${path}: invalid PromQL: ${error}`)));
    }
  }
  return findings;
}
