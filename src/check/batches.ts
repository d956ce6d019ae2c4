import os from 'node:os';
import { promtoolRules, promtoolTest, toolFault } from '../findings/catalog/validators.ts';
import { findingLine } from '../findings/kind.ts';
import { formatDuration } from '../model/duration.ts';
import { promtoolFailures } from './promtool-output.ts';
import { passedBefore, recordPass, writeInputs, type ToolRun, type Verdict } from './prior.ts';
import { runTool } from './tools.ts';

// A promtool subcommand that takes many files and checks them one after another (`check rules`,
// `test rules`), run in batches spread over the cores. The tool prints a line as it starts each
// file and `SUCCESS` when the file passes, so each file's verdict is read from a batch's output:
// only files that did not pass are run again alone, for output that is theirs alone.

export interface FileVerdict extends Verdict {
  /** The argument naming the file, relative to the run's folder. */
  readonly file: string;
}

export interface PerFileCommand {
  /** The line prefix the tool prints as it starts a file: `Unit Testing:`, `Checking`. */
  readonly marker: string;
  /** How long one file may take before the tool is taken for stuck. */
  readonly fileDeadlineMs: number;
}

/** Files per batch: enough to pay for promtool's start-up, few enough to spread over the cores. */
const maxBatch = 32;

/** Runs every verdict that did not pass before; one finding per file that fails or outlives its deadline. */
export async function runPerFile(run: ToolRun, verdicts: readonly FileVerdict[], command: PerFileCommand): Promise<string[]> {
  const findings = await findingsByFile(run, verdicts, command);
  return [...findings.keys()].sort().map((file) => findings.get(file)!);
}

/** The same findings by file: a file that is not a key passed, now or before. */
export async function findingsByFile(
  run: ToolRun,
  verdicts: readonly FileVerdict[],
  command: PerFileCommand,
): Promise<Map<string, string>> {
  const pending: FileVerdict[] = [];
  for (const verdict of verdicts) if (!(await passedBefore(verdict, run))) pending.push(verdict);
  if (pending.length === 0) return new Map();
  await writeInputs(
    run,
    pending.flatMap((verdict) => verdict.inputs),
  );
  const findings = new Map<string, string>();
  const queue = batches(pending, run);
  const cores = Math.max(1, os.availableParallelism());
  const worker = async (): Promise<void> => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      const outcome = await runBatch(run, batch, command);
      for (const verdict of outcome.passed) await recordPass(verdict, run);
      for (const [file, finding] of outcome.findings) findings.set(file, finding);
      // Files of a failed batch are run alone, for their own output; files never started, as a batch.
      if (batch.length > 1) queue.push(...outcome.again.map((verdict) => [verdict]));
      if (outcome.unstarted.length > 0) queue.push(outcome.unstarted);
    }
  };
  await Promise.all(Array.from({ length: Math.min(cores, queue.length) }, worker));
  return findings;
}

/** Largest files first (promtool's time follows their size), so the last batches are the short ones. */
function batches(verdicts: readonly FileVerdict[], run: ToolRun): FileVerdict[][] {
  const size = (verdict: FileVerdict): number => run.files.get(verdict.file)?.length ?? 0;
  const sorted = [...verdicts].sort((a, b) => size(b) - size(a) || (a.file < b.file ? -1 : 1));
  // At least four batches per core while there are files for them: a slow batch does not leave a core idle.
  const perBatch = Math.min(maxBatch, Math.max(1, Math.ceil(sorted.length / (4 * os.availableParallelism()))));
  const result: FileVerdict[][] = [];
  for (let at = 0; at < sorted.length; at += perBatch) result.push(sorted.slice(at, at + perBatch));
  return result;
}

interface BatchOutcome {
  readonly passed: FileVerdict[];
  /** Findings by file. */
  readonly findings: Map<string, string>;
  /** Files that did not pass in a batch of several: to be run alone. */
  readonly again: FileVerdict[];
  /** Files the tool never reached before it was killed. */
  readonly unstarted: FileVerdict[];
}

async function runBatch(run: ToolRun, batch: readonly FileVerdict[], command: PerFileCommand): Promise<BatchOutcome> {
  const { tool, command: args } = batch[0]!;
  const what = `${tool} ${args.filter((arg) => !arg.startsWith('-')).join(' ')}`;
  const result = await runTool(
    tool,
    [...args, ...batch.map((verdict) => verdict.file)],
    run.dir,
    // A deadline per file: the batch's grows with it, and a stuck file is found within one file's time.
    { timeoutMs: command.fileDeadlineMs * batch.length, stallMs: command.fileDeadlineMs },
  );
  const { started, last, passed } = progress(result.stdout, command.marker);
  // Exit 0 is every file passed, whatever this version of the tool prints.
  if (result.ok) for (const verdict of batch) passed.add(verdict.file);
  const outcome: BatchOutcome = {
    passed: batch.filter((verdict) => passed.has(verdict.file)),
    findings: new Map(),
    again: [],
    unstarted: [],
  };
  const failed = batch.filter((verdict) => !passed.has(verdict.file));
  if (result.cut === 'missing') {
    for (const verdict of failed) outcome.findings.set(verdict.file, result.output);
  } else if (result.cut) {
    // The file the tool was on when it was cut short is reported; those after it run again.
    const current = failed.find((verdict) => verdict.file === last);
    const reason =
      result.cut === 'size'
        ? 'printed more than the output limit and was killed'
        : `gave no result within ${formatDuration(command.fileDeadlineMs / 1000)} and was killed`;
    const blamed = current ?? failed[0];
    if (blamed) outcome.findings.set(blamed.file, findingLine(toolFault(blamed.file, what, reason)));
    outcome.unstarted.push(...failed.filter((verdict) => verdict !== blamed && !started.has(verdict.file)));
    outcome.again.push(...failed.filter((verdict) => verdict !== blamed && started.has(verdict.file)));
  } else if (batch.length > 1 && failed.length > 0) {
    outcome.again.push(...failed);
  } else if (!result.ok) {
    // One file, or a batch whose files all passed and yet the tool failed: its output is the finding.
    const file = (failed[0] ?? batch[0]!).file;
    outcome.findings.set(file, failureLines(file, args, result.output));
  }
  return outcome;
}

/** promtool's failures on one file, a line each: `file:line: group "g", rule "R": …`, `file: alert X at 10m: …`. */
function failureLines(file: string, args: readonly string[], output: string): string {
  const failures = promtoolFailures(output);
  const said = failures.map(({ at, text }) =>
    args[0] === 'test' ? promtoolTest(file, at ? `${at.file}:${at.line}: ${text}` : text) : promtoolRules(file, at?.line, text),
  );
  return (said.length > 0 ? said : [promtoolRules(file, undefined, 'promtool failed and said nothing')]).map(findingLine).join('\n');
}

/** The files the tool started, the last of them, and those it passed, from its stdout. */
function progress(stdout: string, marker: string): { started: Set<string>; last: string | undefined; passed: Set<string> } {
  const started = new Set<string>();
  const passed = new Set<string>();
  let last: string | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(marker)) {
      last = line.slice(marker.length).trim();
      started.add(last);
    } else if (last !== undefined && line.trim().startsWith('SUCCESS')) passed.add(last);
  }
  return { started, last, passed };
}
