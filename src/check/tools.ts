import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ToolResult {
  readonly ok: boolean;
  readonly output: string;
}

/** The binary for promtool/amtool: an override from the environment, else PATH. */
export function toolPath(tool: 'promtool' | 'amtool'): string {
  return process.env[`MONFORGE_${tool.toUpperCase()}`] ?? tool;
}

/**
 * Runs a validator; a missing binary is a finding that says how to get it, never a silent pass.
 * A run that outlives its deadline is killed and reported as such.
 */
export async function runTool(
  tool: 'promtool' | 'amtool',
  args: readonly string[],
  cwd: string,
  timeoutMs = 10 * 60_000,
): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await run(toolPath(tool), [...args], { cwd, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string; killed?: boolean };
    if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
      return { ok: false, output: `${tool} ${args.join(' ')}: output over 64 MiB, killed` };
    if (failure.killed) return { ok: false, output: `${tool} ${args.join(' ')}: no result within ${timeoutMs / 1000} s, killed` };
    if (failure.code === 'ENOENT') {
      return {
        ok: false,
        output: `${tool} not found: run \`bash scripts/ensure-tools.sh\` (installs the Debian packages prometheus and prometheus-alertmanager) or set MONFORGE_${tool.toUpperCase()}`,
      };
    }
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim() || failure.message };
  }
}
