import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ToolResult {
  readonly ok: boolean;
  readonly output: string;
}

/** The binary for promtool/amtool: an override from the environment, else PATH. */
export function toolPath(tool: Tool): string {
  return process.env[`MONFORGE_${tool.toUpperCase()}`] ?? tool;
}

type Tool = 'promtool' | 'amtool';

/** How to get the validators, in one line (a user's project has no scripts/ensure-tools.sh). */
export function missingToolsMessage(tools: readonly Tool[]): string {
  const overrides = tools.map((tool) => `MONFORGE_${tool.toUpperCase()}`).join(' / ');
  return `${tools.join(' and ')} not found: install the Debian/Ubuntu packages (\`sudo apt-get install prometheus prometheus-alertmanager\`), put ${tools.length > 1 ? 'them' : 'it'} on PATH, or set ${overrides}`;
}

/** The validators that cannot be run (neither on PATH nor at their MONFORGE_* override). */
export async function missingTools(): Promise<Tool[]> {
  const tools: Tool[] = ['promtool', 'amtool'];
  const found = await Promise.all(
    tools.map((tool) =>
      run(toolPath(tool), ['--version'], { timeout: 30_000 }).then(
        () => true,
        (error: NodeJS.ErrnoException) => error.code !== 'ENOENT' && error.code !== 'EACCES',
      ),
    ),
  );
  return tools.filter((_, index) => !found[index]);
}

/**
 * Runs a validator; a missing binary is a finding that says how to get it, never a silent pass.
 * A run that outlives its deadline is killed and reported as such.
 */
export async function runTool(tool: Tool, args: readonly string[], cwd: string, timeoutMs = 10 * 60_000): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await run(toolPath(tool), [...args], { cwd, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string; killed?: boolean };
    if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
      return { ok: false, output: `${tool} ${args.join(' ')}: output over 64 MiB, killed` };
    if (failure.killed) return { ok: false, output: `${tool} ${args.join(' ')}: no result within ${timeoutMs / 1000} s, killed` };
    if (failure.code === 'ENOENT') {
      return { ok: false, output: missingToolsMessage([tool]) };
    }
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim() || failure.message };
  }
}
