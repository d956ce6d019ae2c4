import { spawn } from 'node:child_process';
import { seconds } from '../../model/duration.ts';
import type { CompiledAction, CompiledPlaybook } from '../../load/playbook-file.ts';
import { Tail, type ActionResult } from './result.ts';

type ExecAction = Extract<CompiledAction, { kind: 'exec' }>;

/** Letters, digits and `_ . , : / @ + = -`: nothing a shell, `eval` or word splitting acts on. */
const safeValue = /^[A-Za-z0-9_.,:/@+=-]{0,1024}$/;
const labelPrefix = 'MONFORGE_LABEL_';

/** The labels as `MONFORGE_LABEL_<NAME>` variables, or why they cannot be passed. */
export function labelEnvironment(labels: Readonly<Record<string, string>>): { env: Record<string, string> } | { refused: string } {
  const env: Record<string, string> = {};
  const unsafe: string[] = [];
  for (const [label, value] of Object.entries(labels)) {
    const name = `${labelPrefix}${label.toUpperCase()}`;
    if (!safeValue.test(value)) unsafe.push(label);
    else if (name in env) unsafe.push(`${label} (same variable as another label)`);
    else env[name] = value;
  }
  return unsafe.length > 0
    ? { refused: `label values outside the safe charset [A-Za-z0-9_.,:/@+=-]: ${unsafe.sort().join(', ')}` }
    : { env };
}

/**
 * Runs argv without a shell, in its own process group so that a timeout (SIGTERM, then
 * SIGKILL after `killAfter`) also ends whatever the program started.
 */
export function runExec(
  action: ExecAction,
  playbook: CompiledPlaybook,
  labels: Readonly<Record<string, string>>,
  extraEnv: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<ActionResult> {
  const program = action.argv[0];
  // Checked again here, right before spawning: the allow-list is the security boundary.
  if (!playbook.allowExec.includes(program))
    return Promise.resolve({ outcome: 'refused', detail: `${program} is not in the allow-list of playbook "${playbook.name}"` });
  const labelEnv = labelEnvironment(labels);
  if ('refused' in labelEnv) return Promise.resolve({ outcome: 'refused', detail: labelEnv.refused });

  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith(labelPrefix)));
  const stdout = new Tail();
  const stderr = new Tail();
  return new Promise((resolve) => {
    const child = spawn(program, action.argv.slice(1), {
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...inherited, ...extraEnv, ...labelEnv.env },
    });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let stopped: 'timeout' | 'interrupted' | undefined;
    const timers: NodeJS.Timeout[] = [];
    const stop = (reason: 'timeout' | 'interrupted'): void => {
      if (stopped) return;
      stopped = reason;
      kill(child.pid, 'SIGTERM');
      timers.push(setTimeout(() => kill(child.pid, 'SIGKILL'), seconds(action.killAfter) * 1000));
      // A descendant that left the group could hold the pipes open forever.
      timers.push(
        setTimeout(
          () => {
            child.stdout.destroy();
            child.stderr.destroy();
          },
          seconds(action.killAfter) * 1000 + 1000,
        ),
      );
    };
    timers.push(setTimeout(() => stop('timeout'), seconds(action.timeout) * 1000));
    const onAbort = (): void => stop('interrupted');
    signal.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const settle = (result: ActionResult): void => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve({ ...result, stdout: stdout.toString(), stderr: stderr.toString() });
    };
    // Without a pid the program never started (ENOENT, EACCES); otherwise 'close' follows.
    child.on(
      'error',
      (error) => child.pid === undefined && settle({ outcome: 'failure', detail: `cannot run ${program}: ${error.message}` }),
    );
    child.on('close', (code, signalName) => {
      const how = signalName ?? `exit code ${code}`;
      if (stopped)
        settle({
          outcome: stopped,
          detail: `${stopped === 'timeout' ? `timed out after ${action.timeout}` : 'interrupted by shutdown'}; ended by ${how}`,
        });
      else settle(code === 0 ? { outcome: 'success' } : { outcome: 'failure', detail: signalName ? `killed by ${signalName}` : how });
    });
  });
}

function kill(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
