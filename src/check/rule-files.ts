import { parse } from 'yaml';
import { sortedPaths, type FileSet } from '../output/fileset.ts';
import { promqlErrorsFor } from '../promql/parse.ts';
import { digest, type ResultCache } from '../cache/result-cache.ts';
import { rulePromql } from '../findings/catalog/validators.ts';
import { findingLine } from '../findings/kind.ts';

/** A recorded series (its name holds a colon) and the equality matchers it is written or read with. */
export interface RecordUse {
  readonly record: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** What a rule group records and which recorded series its rules read: the groups' dependencies. */
export interface GroupFacts {
  readonly name: string;
  readonly interval?: string;
  readonly writes: readonly RecordUse[];
  /** In rule order; `overTime` when the rule sums the series over time (`…_over_time(record[…])`). */
  readonly reads: readonly (RecordUse & { readonly overTime: boolean })[];
}

/** What the lints need of one generated rule file: its expressions' findings, the series it records, its groups' dependencies. */
export interface RuleFileFacts {
  readonly findings: readonly string[];
  readonly records: readonly string[];
  readonly groups: readonly GroupFacts[];
}

export interface RuleFileContent {
  groups?: {
    name: string;
    interval?: string;
    rules: { record?: string; alert?: string; expr: string; labels?: Record<string, string> }[];
  }[];
}

/** The recorded series an expression reads, with the equality matchers it selects them by, outside string literals. */
function recordsRead(expr: string): RecordUse[] {
  const reads: RecordUse[] = [];
  for (const match of expr.matchAll(/(?<![\w:])([A-Za-z_][A-Za-z0-9_]*:[A-Za-z0-9_:]*)(\{(?:[^}"]|"(?:[^"\\]|\\.)*")*\})?/g)) {
    const before = expr.slice(0, match.index);
    if ((before.match(/"/g)?.length ?? 0) % 2 === 1) continue; // inside a string literal
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"/g)].map((each) => [each[1]!, each[2]!]),
    );
    reads.push({ record: match[1]!, labels });
  }
  return reads;
}

const parsedFiles = new WeakMap<FileSet, Map<string, RuleFileContent>>();

/**
 * A generated rule file parsed (YAML parsing is most of what reading them costs), once per
 * FileSet for all that read it: the lints' facts, the SLO shape check.
 */
export function parsedRuleFile(files: FileSet, path: string): RuleFileContent {
  const parsed = parsedFiles.get(files) ?? new Map<string, RuleFileContent>();
  parsedFiles.set(files, parsed);
  const content = parsed.get(path) ?? ((parse(files.get(path) ?? '') ?? {}) as RuleFileContent);
  parsed.set(path, content);
  return content;
}

/** Reads one rule file's facts, every expression parsed with lezer-promql. */
function factsOf(files: FileSet, path: string): RuleFileFacts {
  const content = parsedRuleFile(files, path);
  const findings: string[] = [];
  const records: string[] = [];
  const groups: GroupFacts[] = [];
  for (const group of content.groups ?? []) {
    const writes: RecordUse[] = [];
    const reads: GroupFacts['reads'][number][] = [];
    groups.push({ name: group.name, ...(group.interval !== undefined && { interval: group.interval }), writes, reads });
    for (const rule of group.rules) {
      if (rule.record) records.push(rule.record);
      if (rule.record) writes.push({ record: rule.record, labels: rule.labels ?? {} });
      for (const read of recordsRead(rule.expr)) reads.push({ ...read, overTime: rule.expr.includes(`_over_time(${read.record}`) });
      const name = rule.alert
        ? `alert "${rule.alert}"${rule.labels?.severity ? ` (${rule.labels.severity})` : ''}`
        : `record "${rule.record}"`;
      for (const error of promqlErrorsFor(rule.expr))
        findings.push(findingLine(rulePromql(path, `group "${group.name}" › ${name}`, error)));
    }
  }
  return { findings, records, groups };
}

const rulePaths = (files: FileSet): string[] => sortedPaths(files).filter((path) => path.startsWith('prometheus/rules/'));

const known = new WeakMap<FileSet, ReadonlyMap<string, RuleFileFacts>>();

/** The facts of every generated rule file, in path order; each FileSet's files are read once for all the lints. */
export function ruleFileFacts(files: FileSet): ReadonlyMap<string, RuleFileFacts> {
  let result = known.get(files);
  if (!result) {
    result = new Map(rulePaths(files).map((path) => [path, factsOf(files, path)]));
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
    const facts = stored === undefined ? factsOf(files, path) : (JSON.parse(stored) as RuleFileFacts);
    if (stored === undefined) await cache.put(key, JSON.stringify(facts));
    result.set(path, facts);
  }
  known.set(files, result);
  return result;
}
