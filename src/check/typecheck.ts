import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { typeErrors as typeErrorsKind } from '../findings/catalog/check.ts';
import { findingLine } from '../findings/kind.ts';
import { initTemplates } from '../init/templates.ts';

const run = promisify(execFile);

/** A type-check that takes longer than this is stuck. */
const deadlineMs = 5 * 60 * 1000;

/**
 * Type errors in the project (definitions included), as tsc prints them; empty when clean.
 * Uses the project's tsconfig.json, or when it has none, the one `monforge init` writes.
 */
export async function typeErrors(root: string): Promise<string[]> {
  const own = path.join(root, 'tsconfig.json');
  const hasOwn = await access(own).then(
    () => true,
    () => false,
  );
  const scratch = hasOwn ? undefined : await mkdtemp(path.join(os.tmpdir(), 'monforge-tsc-'));
  try {
    const config = scratch ? await defaultConfig(scratch, root) : own;
    await run(process.execPath, [tscPath(root), '--noEmit', '-p', config], { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: deadlineMs });
    return [];
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; killed?: boolean; message: string };
    if (failure.killed) return [`type-check did not finish within ${deadlineMs / 60_000} minutes`];
    return [`${findingLine(typeErrorsKind())}\n${`${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim() || failure.message}`];
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** The settings `monforge init` writes, applied to `<root>/definitions`. */
async function defaultConfig(scratch: string, root: string): Promise<string> {
  const file = path.join(scratch, 'tsconfig.json');
  const config = { extends: path.join(initTemplates, 'tsconfig.json'), include: [path.join(root, 'definitions')] };
  await writeFile(file, `${JSON.stringify(config)}\n`);
  return file;
}

/** The project's own TypeScript when it has one (what its editor runs), else monforge's. */
function tscPath(root: string): string {
  let typescript: string;
  try {
    typescript = createRequire(path.join(root, 'package.json')).resolve('typescript/package.json');
  } catch {
    typescript = createRequire(import.meta.url).resolve('typescript/package.json');
  }
  return path.join(path.dirname(typescript), 'bin', 'tsc');
}
