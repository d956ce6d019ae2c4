// Child-process supervision for the local stack and the end-to-end test: every child is
// killed when the stack stops, when one child fails, and when this process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** The last lines it printed, for error messages. */
  readonly output: () => string;
}

export class Supervisor {
  private readonly children: Child[] = [];
  private stopping = false;
  private readonly onExit = (): void => this.killAll('SIGKILL');

  constructor(private readonly onFailure: (child: Child, code: number | null) => void = () => {}) {
    process.once('exit', this.onExit);
  }

  start(name: string, command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Child {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const keep = (chunk: Buffer): void => {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const record: Child = { name, process: child, output: () => lines.join('\n') };
    child.once('exit', (code) => {
      if (!this.stopping) this.onFailure(record, code);
    });
    child.once('error', (error) => {
      lines.push(String(error));
      if (!this.stopping) this.onFailure(record, null);
    });
    this.children.push(record);
    return record;
  }

  /** SIGTERM, then SIGKILL after `graceMs` for any child still running. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    process.removeListener('exit', this.onExit);
    const running = this.children.filter((child) => child.process.exitCode === null && child.process.signalCode === null);
    await Promise.all(
      running.map(
        (child) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
            child.process.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.process.kill('SIGTERM');
          }),
      ),
    );
  }

  private killAll(signal: NodeJS.Signals): void {
    for (const child of this.children) if (child.process.exitCode === null) child.process.kill(signal);
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls `url` until it answers 2xx, or throws with the child's last output after `timeoutMs`. */
export async function waitForHttp(url: string, child: Child | undefined, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (child && child.process.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${child?.name ?? url} did not become ready at ${url}${child ? `:\n${child.output()}` : ''}`);
}
