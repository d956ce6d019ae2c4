import { sortedPaths, type FileSet } from '../output/fileset.ts';
import { runTool } from './tools.ts';

/** `promtool check rules --lint-fatal` on every rule file and `promtool test rules` on every test file, run inside `dir`. */
export async function promtoolFindings(dir: string, files: FileSet): Promise<string[]> {
  const paths = sortedPaths(files);
  const rules = paths.filter((path) => path.startsWith('prometheus/rules/'));
  const tests = paths.filter((path) => path.startsWith('prometheus/tests/'));
  const findings: string[] = [];
  if (rules.length > 0) {
    const result = await runTool('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', ...rules], dir);
    if (!result.ok) findings.push(`promtool check rules failed:\n${result.output}`);
  }
  if (tests.length > 0) {
    const result = await runTool('promtool', ['test', 'rules', ...tests], dir);
    if (!result.ok) findings.push(`promtool test rules failed:\n${result.output}`);
  }
  return findings;
}
