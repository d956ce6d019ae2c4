/**
 * The one reader of generated output (docs/development.md, "Architecture"). `diff`, `backtest` and
 * `apply` start from a generated tree — of the working copy, of a git revision, or of any
 * directory — and read it here as typed objects instead of parsing YAML or JSON themselves:
 *
 * - `readGeneratedDir(dir)`: the directory `generate` writes;
 * - `resolveRevision(root, 'origin/main')` then `readGeneratedRevision(root, revision)`: the
 *   committed `generated/` of a commit (one `git ls-tree` and one `git cat-file --batch`);
 * - `parseGeneratedTree(files, label)`: a FileSet already in memory, such as `build(root)`.
 *
 * Each read has a deadline and a size limit (`ReadLimits`); a file that does not parse is a
 * GeneratedTreeError naming every file and field at once. Rules come with the definition files
 * their file header names (`alertingRules`, `recordingRules`); evaluate the Alertmanager
 * configuration with `src/route-evaluator/evaluate.ts`, the same route evaluator `monforge routes` uses.
 */
export { GeneratedTreeError } from './problems.ts';
export {
  defaultReadLimits,
  mergeBase,
  readGeneratedDir,
  readGeneratedRevision,
  readProjectFiles,
  readRevisionFile,
  repositoryPrefix,
  resolveRevision,
  RevisionError,
  type ReadLimits,
  type Revision,
} from './read.ts';
export { alertingRules, parseGeneratedTree, recordingRules } from './tree.ts';
export * from './types.ts';
// Single files, for answers that carry generated content back (`apply` reads what a running
// Alertmanager or ruler holds the same way it reads generated/).
export { parseAlertmanagerFile } from './alertmanager.ts';
export { parseRulerNamespace } from './targets.ts';
export { FileProblems } from './problems.ts';
