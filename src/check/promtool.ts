import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { sortedPaths, type FileSet } from '../output/fileset.ts';
import { toYaml } from '../output/serialize.ts';
import { findingsByFile, runPerFile, type FileVerdict, type PerFileCommand } from './batches.ts';
import { testShapes, type ServiceNames } from './service-shapes.ts';
import { splitTestFile } from './test-split.ts';
import { passedBefore, recordPass, type Prior, type ToolRun, type Verdict } from './prior.ts';
import { runTool } from './tools.ts';
import { scrapeConfig } from '../findings/catalog/validators.ts';
import { findingLine } from '../findings/kind.ts';

/** How long one file may keep promtool busy: the longest test file takes seconds. */
export const promtoolFileDeadlineMs = 5 * 60_000;

const checkRules = ['check', 'rules', '--lint=all', '--lint-fatal'];
const testRules = ['test', 'rules'];

/**
 * `promtool check rules --lint-fatal` on every rule file and `promtool test rules` on every
 * test file, each file's verdict on its own (a test file's verdict covers the rule files it
 * loads); files whose verdict passed before (`prior`) are skipped, and of the services' test
 * files that are the same up to the services' names, one runs for all (service-shapes.ts).
 * `dir` is where they are written and promtool runs.
 */
export async function promtoolFindings(
  dir: string,
  files: FileSet,
  prior?: Prior,
  services: readonly ServiceNames[] = [],
): Promise<string[]> {
  const run: ToolRun = { dir, files, ...(prior && { prior }) };
  const paths = sortedPaths(files);
  const rules: FileVerdict[] = paths
    .filter((file) => file.startsWith('prometheus/rules/'))
    .map((file) => ({ tool: 'promtool', command: checkRules, file, inputs: [file] }));
  const tests: FileVerdict[] = paths
    .filter((file) => file.startsWith('prometheus/tests/'))
    .map((file) => ({ tool: 'promtool', command: testRules, file, inputs: [file, ...ruleFilesOf(file, files.get(file)!, files)] }));
  const limits = { fileDeadlineMs: promtoolFileDeadlineMs };
  return [
    ...(await runPerFile(run, rules, { marker: 'Checking', ...limits })),
    ...(await testFindings(run, tests, services, { marker: 'Unit Testing:', ...limits })),
  ];
}

/**
 * The test files' findings, one file run per shape: a pass stands for the shape's other files
 * (and is kept for them in the cache); when it fails, each of them runs for its own verdict.
 */
async function testFindings(
  run: ToolRun,
  tests: readonly FileVerdict[],
  services: readonly ServiceNames[],
  command: PerFileCommand,
): Promise<string[]> {
  const pending: FileVerdict[] = [];
  for (const verdict of tests) if (!(await passedBefore(verdict, run))) pending.push(verdict);
  const byFile = new Map(pending.map((verdict) => [verdict.file, verdict]));
  const shapes = testShapes([...byFile.keys()], run.files, (file) => byFile.get(file)!.inputs.slice(1), services);
  const findings = await splitRuns(
    run,
    shapes.map((shape) => byFile.get(shape.runs)!),
    command,
  );
  const alone: FileVerdict[] = [];
  for (const shape of shapes) {
    const others = shape.standsFor.map((file) => byFile.get(file)!);
    if (findings.has(shape.runs)) alone.push(...others);
    else for (const verdict of others) await recordPass(verdict, run);
  }
  for (const [file, finding] of await splitRuns(run, alone, command)) findings.set(file, finding);
  return [...findings.keys()].sort().map((file) => findings.get(file)!);
}

/**
 * Runs test files, each split into files that load only the rule groups their tests read where
 * that spares promtool work (test-split.ts); findings by test file. A file whose split files
 * fail runs whole, for promtool's account of it.
 */
async function splitRuns(run: ToolRun, verdicts: readonly FileVerdict[], command: PerFileCommand): Promise<Map<string, string>> {
  const originOf = new Map<string, string>();
  const splitFiles = new Map<string, string>();
  const units: FileVerdict[] = [];
  const splitUnits: FileVerdict[] = [];
  for (const verdict of verdicts) {
    const split = splitTestFile(verdict.file, run.files);
    if (!split) units.push(verdict);
    for (const [file, text] of split ?? []) {
      splitFiles.set(file, text);
      if (!file.endsWith('.test.yml')) continue;
      originOf.set(file, verdict.file);
      splitUnits.push({ tool: 'promtool', command: testRules, file, inputs: [file, file.replace(/\.test\.yml$/, '.rules.yml')] });
    }
  }
  // The split files run in a folder of their own (they hold their rule files), never in the
  // caller's tree, and without the prior passes: their verdicts are their test file's, kept below.
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-split-'));
  const findings = new Map<string, string>();
  const whole = new Set<string>();
  try {
    const [found, split] = await Promise.all([
      findingsByFile({ ...run, prior: undefined }, units, command),
      findingsByFile({ dir: scratch, files: splitFiles }, splitUnits, command),
    ]);
    for (const [file, finding] of found) findings.set(file, finding);
    for (const file of split.keys()) whole.add(originOf.get(file)!);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  for (const verdict of verdicts) if (!findings.has(verdict.file) && !whole.has(verdict.file)) await recordPass(verdict, run);
  const again = verdicts.filter((verdict) => whole.has(verdict.file));
  for (const [file, finding] of await findingsByFile(run, again, command)) findings.set(file, finding);
  return findings;
}

/**
 * The rule files a test file loads (`rule_files`, relative to the test file), as generated
 * paths. A glob (promtool expands them) stands for every generated rule file.
 */
export function ruleFilesOf(testPath: string, text: string, files: FileSet): string[] {
  const listed = ruleFileEntries(text);
  const resolved = listed.map((entry) => path.posix.normalize(path.posix.join(path.posix.dirname(testPath), entry)));
  if (listed.some((entry) => /[*?[]/.test(entry))) return sortedPaths(files).filter((file) => file.startsWith('prometheus/rules/'));
  return resolved;
}

/**
 * `rule_files` of a test file. Generated test files list them first as a block sequence, read
 * without parsing the (large) rest; any other form is read by parsing the whole file.
 */
function ruleFileEntries(text: string): string[] {
  const block = /^rule_files:\n((?:[ ]+- .*\n)+)/m.exec(text);
  if (block) return block[1]!.split('\n').flatMap((line) => (line.trim() === '' ? [] : [String(parse(line.replace(/^\s+- /, '')))]));
  const document = parse(text) as { rule_files?: unknown } | null;
  return Array.isArray(document?.rule_files) ? document.rule_files.map(String) : [];
}

/**
 * `promtool check config` on a prometheus.yml holding every generated scrape job, pasted into
 * its `scrape_configs`: Prometheus 2.42 has no `scrape_config_files`, and pasting loads everywhere.
 */
export async function scrapeConfigFindings(files: FileSet, prior?: Prior): Promise<string[]> {
  const scrape = sortedPaths(files).filter((file) => file.startsWith('prometheus/scrape/'));
  const verdict: Verdict = { tool: 'promtool', command: ['check', 'config'], inputs: scrape };
  const run: ToolRun = { dir: '', files, ...(prior && { prior }) };
  if (scrape.length === 0 || (await passedBefore(verdict, run))) return [];
  const jobs = scrape.flatMap((file) => (parse(files.get(file)!) as { scrape_configs: unknown[] }).scrape_configs);
  if (jobs.length === 0) return [];
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-scrape-'));
  try {
    await writeFile(path.join(scratch, 'prometheus.yml'), toYaml({ scrape_configs: jobs }));
    const result = await runTool('promtool', ['check', 'config', 'prometheus.yml'], scratch);
    if (result.ok) await recordPass(verdict, run);
    if (result.ok) return [];
    // promtool names the pasted file and its lines, which the user has not seen: its problems only.
    const problems = result.output
      .split('\n')
      .map((line) =>
        line
          .replace(/^\s*(Checking prometheus\.yml|FAILED:)\s*/, '')
          .replace(/^parsing YAML file prometheus\.yml: /, '')
          .trim(),
      )
      .filter(Boolean);
    return problems.map((problem) => findingLine(scrapeConfig(problem)));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
