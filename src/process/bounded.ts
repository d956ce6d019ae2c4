import { spawn } from 'node:child_process';
import { formatDuration } from '../model/duration.ts';

export interface BoundedRun {
  readonly cwd: string;
  /** Written to the child's stdin, which is then closed. */
  readonly input?: string;
  /** The child is killed (SIGKILL) when it runs longer. */
  readonly timeoutMs: number;
  /** The child is killed when its stdout grows past this many bytes. */
  readonly maxBytes: number;
  /** Names the call in errors: `git ls-tree`. */
  readonly what: string;
}

/** A failed external call, with a one-line message naming the call and the cause. */
export class BoundedRunError extends Error {
  override name = 'BoundedRunError';
}

/**
 * Runs a program without a shell and returns its stdout, within a deadline and a size limit.
 * The timer is held here until the child has exited, so the deadline cannot be lost; a non-zero
 * exit rejects with the first line of its stderr.
 */
export function runBounded(command: string, args: readonly string[], options: BoundedRun): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: BoundedRunError | undefined;
    const fail = (message: string): void => {
      failure ??= new BoundedRunError(`${options.what}: ${message}`);
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => fail(`no answer within ${formatDuration(options.timeoutMs / 1000)}`), options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBytes) fail(`output over the limit of ${options.maxBytes} bytes`);
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      fail(error.code === 'ENOENT' ? `${command} not found on PATH` : error.message);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (code !== 0) {
        const cause =
          stderr
            .split('\n')
            .find((line) => line.trim() !== '')
            ?.trim() ?? `exit ${code ?? signal}`;
        reject(new BoundedRunError(`${options.what}: ${cause}`));
      } else resolve(Buffer.concat(chunks));
    });
    // The child may exit before reading its input (EPIPE): its exit status tells what happened.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
