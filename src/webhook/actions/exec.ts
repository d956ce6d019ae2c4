import { type ChildProcess, spawn } from 'node:child_process';
import { seconds } from '../../model/duration.ts';
import type { CompiledAction, CompiledPlaybook } from '../../load/playbook-file.ts';
import { type GroupJournal, identify, processGroup } from '../process-groups.ts';
import { Tail, type ActionResult } from './result.ts';

type ExecAction = Extract<CompiledAction, { kind: 'exec' }>;

/** What an environment variable name may hold (the label name becomes part of one). */
const safeName = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Letters, digits and `_ . , : / @ + = -`: nothing a shell, `eval` or word splitting acts on. */
const safeValue = /^[A-Za-z0-9_.,:/@+=-]{0,1024}$/;
const labelPrefix = 'MONFORGE_LABEL_';
/** After the program exited: how long its output may still take to arrive through the pipes. */
const drainMs = 250;

/** The labels as `MONFORGE_LABEL_<NAME>` variables, or why they cannot be passed. */
export function labelEnvironment(labels: Readonly<Record<string, string>>): { env: Record<string, string> } | { refused: string } {
  const env: Record<string, string> = {};
  const badNames: string[] = [];
  const unsafe: string[] = [];
  for (const [label, value] of Object.entries(labels)) {
    const name = `${labelPrefix}${label.toUpperCase()}`;
    if (!safeName.test(label)) badNames.push(JSON.stringify(label));
    else if (!safeValue.test(value)) unsafe.push(label);
    else if (name in env) unsafe.push(`${label} (same variable as another label)`);
    else env[name] = value;
  }
  const problems = [
    ...(badNames.length > 0 ? [`label names outside [A-Za-z_][A-Za-z0-9_]*: ${badNames.sort().join(', ')}`] : []),
    ...(unsafe.length > 0 ? [`label values outside the safe charset [A-Za-z0-9_.,:/@+=-]: ${unsafe.sort().join(', ')}`] : []),
  ];
  return problems.length > 0 ? { refused: problems.join('; ') } : { env };
}

/**
 * Runs argv without a shell, in its own process group. The outcome is the program's exit
 * (output is collected until then, and briefly after); whatever is left of its group is then
 * ended too, on every path: SIGTERM, and SIGKILL after `killAfter`. A timeout or shutdown
 * does the same to the program itself. `journal` records the group from its start to its end.
 */
export function runExec(
  action: ExecAction,
  playbook: CompiledPlaybook,
  labels: Readonly<Record<string, string>>,
  extraEnv: Readonly<Record<string, string>>,
  signal: AbortSignal,
  journal?: GroupJournal,
): Promise<ActionResult> {
  const program = action.argv[0];
  // Checked again here, right before spawning: the allow-list is the security boundary.
  if (!playbook.allowExec.includes(program))
    return Promise.resolve({ outcome: 'refused', detail: `${program} is not in the allow-list of playbook "${playbook.name}"` });
  const labelEnv = labelEnvironment(labels);
  if ('refused' in labelEnv) return Promise.resolve({ outcome: 'refused', detail: labelEnv.refused });
  if (signal.aborted) return Promise.resolve({ outcome: 'interrupted', detail: 'not started: shutting down' });

  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith(labelPrefix)));
  let child: ChildProcess;
  try {
    child = spawn(program, action.argv.slice(1), {
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...inherited, ...extraEnv, ...labelEnv.env },
    });
  } catch (error) {
    return Promise.resolve({ outcome: 'failure', detail: `cannot run ${program}: ${(error as Error).message}` });
  }
  const stdout = new Tail();
  const stderr = new Tail();
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
  const killAfterMs = seconds(action.killAfter) * 1000;
  const pid = child.pid;
  if (pid !== undefined) journal?.started(identify(pid, killAfterMs));
  const group = processGroup(pid, killAfterMs, () => pid !== undefined && journal?.ended(pid));

  return new Promise((resolve) => {
    let stopped: 'timeout' | 'interrupted' | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let drain: NodeJS.Timeout | undefined;
    let giveUp: NodeJS.Timeout | undefined;
    const stopText = (): string => (stopped === 'timeout' ? `timed out after ${action.timeout}` : 'interrupted by shutdown');
    const stop = (reason: 'timeout' | 'interrupted'): void => {
      if (stopped || exit) return;
      stopped = reason;
      group.end();
      // A program that even SIGKILL does not end (stuck in the kernel) does not hold the run forever.
      giveUp = setTimeout(
        () => settle({ outcome: reason, detail: `${stopText()}; still running after SIGKILL` }),
        seconds(action.killAfter) * 1000 + drainMs + 1000,
      );
    };
    const timeout = setTimeout(() => stop('timeout'), seconds(action.timeout) * 1000);
    const onAbort = (): void => stop('interrupted');
    signal.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const settle = (result: ActionResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(drain);
      clearTimeout(giveUp);
      signal.removeEventListener('abort', onAbort);
      child.stdout!.destroy();
      child.stderr!.destroy();
      resolve({ ...result, stdout: stdout.toString(), stderr: stderr.toString() });
    };
    const judged = (): ActionResult => {
      const how = exit!.signal ?? `exit code ${exit!.code}`;
      if (stopped) return { outcome: stopped, detail: `${stopText()}; ended by ${how}` };
      return exit!.code === 0 ? { outcome: 'success' } : { outcome: 'failure', detail: exit!.signal ? `killed by ${exit!.signal}` : how };
    };
    // Without a pid the program never started (ENOENT, EACCES).
    child.on(
      'error',
      (error) => child.pid === undefined && settle({ outcome: 'failure', detail: `cannot run ${program}: ${error.message}` }),
    );
    child.on('exit', (code, signalName) => {
      exit = { code, signal: signalName };
      group.end(); // whatever it started and left behind
      // Its output is read until the pipes close; a descendant still holding them does not delay the outcome.
      drain = setTimeout(() => settle(judged()), drainMs);
    });
    child.on('close', () => exit && settle(judged()));
  });
}
