import { parse } from 'yaml';
import { sortedPaths, type FileSet } from '../output/fileset.ts';

export interface RuleFileContent {
  groups?: { name: string; rules: { record?: string; alert?: string; expr: string; labels?: Record<string, string> }[] }[];
}

const parsed = new WeakMap<FileSet, ReadonlyMap<string, RuleFileContent>>();

/**
 * The generated rule files of a FileSet, parsed, in path order. Parsing YAML is most of what
 * the lints cost, so each FileSet's files are parsed once for all of them.
 */
export function ruleFiles(files: FileSet): ReadonlyMap<string, RuleFileContent> {
  let result = parsed.get(files);
  if (!result) {
    const paths = sortedPaths(files).filter((path) => path.startsWith('prometheus/rules/'));
    result = new Map(paths.map((path) => [path, (parse(files.get(path)!) ?? {}) as RuleFileContent]));
    parsed.set(files, result);
  }
  return result;
}
