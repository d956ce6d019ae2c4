import { spawn } from 'node:child_process';
import { missingTools as missingToolsKind } from '../findings/catalog/check.ts';
import { findingLine } from '../findings/kind.ts';
import { formatDuration } from '../model/duration.ts';

export type Tool = 'promtool' | 'amtool';

export interface ToolResult {
  readonly ok: boolean;
  /** stdout then stderr, or the one-line reason the tool gave no result. */
  readonly output: string;
  readonly stdout: string;
  /** Why the run was cut short; the tool's own failures have none. */
  readonly cut?: 'timeout' | 'stalled' | 'size' | 'missing';
}

export interface ToolLimits {
  /** The whole run: killed (SIGKILL) past it. */
  readonly timeoutMs: number;
  /** Killed when stdout and stderr together stay silent this long: a stuck file in a long batch is found in minutes, not hours. */
  readonly stallMs?: number;
  /** Killed when stdout and stderr together grow past this many bytes. */
  readonly maxBytes: number;
}

const defaultLimits: ToolLimits = { timeoutMs: 10 * 60_000, maxBytes: 64 * 1024 * 1024 };

/** The binary for promtool/amtool: an override from the environment, else PATH. */
export function toolPath(tool: Tool): string {
  return process.env[`MONFORGE_${tool.toUpperCase()}`] ?? tool;
}

/** How to get the validators, in one line (a user's project has no scripts/ensure-tools.sh). */
export function missingToolsMessage(tools: readonly Tool[]): string {
  const overrides = tools.map((tool) => `MONFORGE_${tool.toUpperCase()}`).join(' / ');
  return findingLine(missingToolsKind(tools, overrides));
}

/**
 * The first line of each validator's `--version` (`promtool, version 2.42.0+ds …`), part of
 * every cached verdict's key; undefined for a validator that cannot be run.
 */
export async function toolVersions(): Promise<Record<Tool, string | undefined>> {
  const version = async (tool: Tool): Promise<string | undefined> => {
    const result = await runTool(tool, ['--version'], process.cwd(), { timeoutMs: 30_000, maxBytes: 64 * 1024 });
    // A binary that runs but rejects --version still validates: only a missing one is missing.
    if (result.cut === 'missing') return undefined;
    return result.output.split('\n')[0]!.trim() || `${tool} (version unknown)`;
  };
  const [promtool, amtool] = await Promise.all([version('promtool'), version('amtool')]);
  return { promtool, amtool };
}

/** The validators that cannot be run (neither on PATH nor at their MONFORGE_* override). */
export function missingTools(versions: Record<Tool, string | undefined>): Tool[] {
  return (Object.keys(versions) as Tool[]).filter((tool) => versions[tool] === undefined);
}

/**
 * Runs a validator within a deadline and a size limit; a missing binary is a result that says
 * how to get it, never a silent pass. A run cut short says why in one line that names the
 * tool and its subcommand (never its whole argument list, which may name hundreds of files).
 */
export function runTool(tool: Tool, args: readonly string[], cwd: string, limits: Partial<ToolLimits> = {}): Promise<ToolResult> {
  const { timeoutMs, stallMs, maxBytes } = { ...defaultLimits, ...limits };
  const what = [tool, ...args.slice(0, 2).filter((arg) => !arg.startsWith('-') && !arg.includes('/'))].join(' ');
  return new Promise((resolve) => {
    const child = spawn(toolPath(tool), [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let cut: ToolResult['cut'];
    let message = '';
    const stop = (why: NonNullable<ToolResult['cut']>, text: string): void => {
      if (cut) return;
      cut = why;
      message = text;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop('timeout', `${what}: no result within ${formatDuration(timeoutMs / 1000)}, killed`), timeoutMs);
    let stall: NodeJS.Timeout | undefined;
    const quiet = (): void => {
      if (stallMs === undefined) return;
      clearTimeout(stall);
      stall = setTimeout(() => stop('stalled', `${what}: no output for ${formatDuration(stallMs / 1000)}, killed`), stallMs);
    };
    quiet();
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) stop('size', `${what}: output over ${Math.round(maxBytes / 1024 / 1024)} MiB, killed`);
      else into.push(chunk);
      quiet();
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EACCES') stop('missing', missingToolsMessage([tool]));
      else stop('missing', `${what}: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(stall);
      const out = Buffer.concat(stdout).toString('utf8');
      const err = Buffer.concat(stderr).toString('utf8');
      if (cut) resolve({ ok: false, output: message, stdout: out, cut });
      else if (code === 0) resolve({ ok: true, output: `${out}${err}`, stdout: out });
      else resolve({ ok: false, output: `${out}${err}`.trim() || `${what}: exit ${code ?? signal}`, stdout: out });
    });
  });
}
