import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Type errors in the project (definitions included), as tsc prints them; empty when clean. */
export async function typeErrors(root: string): Promise<string[]> {
  const require = createRequire(path.join(root, 'package.json'));
  const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  try {
    await run(process.execPath, [tsc, '--noEmit', '-p', path.join(root, 'tsconfig.json')], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return [];
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    return [`type errors:\n${`${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim() || failure.message}`];
  }
}
