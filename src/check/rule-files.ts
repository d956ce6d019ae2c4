import { parse } from 'yaml';
import { sortedPaths, type FileSet } from '../output/fileset.ts';
import { promqlErrorsFor } from '../promql/parse.ts';
import { digest, type ResultCache } from './cache.ts';

/** What the lints need of one generated rule file: its expressions' findings and the series it records. */
export interface RuleFileFacts {
  readonly findings: readonly string[];
  readonly records: readonly string[];
}

interface RuleFileContent {
  groups?: { name: string; rules: { record?: string; alert?: string; expr: string; labels?: Record<string, string> }[] }[];
}

/** Parses one rule file (YAML parsing is most of what the lints cost) and every expression in it with lezer-promql. */
function factsOf(path: string, text: string): RuleFileFacts {
  const content = (parse(text) ?? {}) as RuleFileContent;
  const findings: string[] = [];
  const records: string[] = [];
  for (const group of content.groups ?? []) {
    for (const rule of group.rules) {
      if (rule.record) records.push(rule.record);
      const name = rule.alert
        ? `alert "${rule.alert}"${rule.labels?.severity ? ` (${rule.labels.severity})` : ''}`
        : `record "${rule.record}"`;
      for (const error of promqlErrorsFor(rule.expr)) findings.push(`${path}: group "${group.name}" › ${name}: invalid PromQL: ${error}`);
    }
  }
  return { findings, records };
}

const rulePaths = (files: FileSet): string[] => sortedPaths(files).filter((path) => path.startsWith('prometheus/rules/'));

const known = new WeakMap<FileSet, ReadonlyMap<string, RuleFileFacts>>();

/** The facts of every generated rule file, in path order; each FileSet's files are read once for all the lints. */
export function ruleFileFacts(files: FileSet): ReadonlyMap<string, RuleFileFacts> {
  let result = known.get(files);
  if (!result) {
    result = new Map(rulePaths(files).map((path) => [path, factsOf(path, files.get(path)!)]));
    known.set(files, result);
  }
  return result;
}

/**
 * The same facts, taken from the cache where it holds them for these bytes (keyed by path and
 * content under monforge's build, see cache.ts), and stored there when computed.
 */
export async function cachedRuleFileFacts(files: FileSet, cache: ResultCache | undefined): Promise<ReadonlyMap<string, RuleFileFacts>> {
  if (!cache) return ruleFileFacts(files);
  const result = new Map<string, RuleFileFacts>();
  for (const path of rulePaths(files)) {
    const text = files.get(path)!;
    const key = digest(['rule file facts', path, text]);
    const stored = await cache.get(key);
    const facts = stored === undefined ? factsOf(path, text) : (JSON.parse(stored) as RuleFileFacts);
    if (stored === undefined) await cache.put(key, JSON.stringify(facts));
    result.set(path, facts);
  }
  known.set(files, result);
  return result;
}
