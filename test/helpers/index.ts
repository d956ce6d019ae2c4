import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { vi } from 'vitest';
import type { FileSet } from '../../src/output/fileset.ts';
import { writeFileSet } from '../../src/output/write.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const fixtureRoot = (name: string): string => path.join(repoRoot, 'test/fixtures', name);

/**
 * A scratch copy of a fixture platform at the same depth as the fixtures, so the definitions'
 * relative imports of src/ still resolve. Removed by the returned cleanup.
 */
export async function scratchCopy(fixture: string): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const parent = path.join(repoRoot, 'test/.tmp');
  await mkdir(parent, { recursive: true });
  const root = await mkdtemp(path.join(parent, `${fixture}-`));
  await cp(path.join(fixtureRoot(fixture), 'definitions'), path.join(root, 'definitions'), { recursive: true });
  // A project of its own for `monforge check`'s type-check: the repo's settings, only these definitions.
  await writeFile(path.join(root, 'tsconfig.json'), `${JSON.stringify({ extends: '../../../tsconfig.json', include: ['definitions'] })}\n`);
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end (2 minutes at most, unless `timeout` says otherwise): its exit code and output, whether it failed or not. */
export async function runProgram(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<Outcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { timeout: 120_000, ...options, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

/**
 * The CLI's `main` in this process, with what it wrote to stdout and stderr: for the outcomes
 * of commands (coverage counts only this process); `monforge` runs the bin as a user does.
 */
export async function monforgeInProcess(cwd: string, ...argv: string[]): Promise<Outcome> {
  const { main } = await import('../../src/cli.ts');
  const written = { stdout: '', stderr: '' };
  const capture = (stream: 'stdout' | 'stderr') =>
    vi.spyOn(process[stream], 'write').mockImplementation((text) => {
      written[stream] += String(text);
      return true;
    });
  const spies = [capture('stdout'), capture('stderr')];
  try {
    return { code: await main(argv, cwd), ...written };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** Runs the real bin, as `npx monforge` would. */
export function monforge(cwd: string, ...args: string[]): Promise<Outcome> {
  return runProgram(process.execPath, [path.join(repoRoot, 'bin/monforge.js'), ...args], { cwd });
}

/** Writes a FileSet to a scratch generated/, hands its path to `use`, then removes it. */
export async function withGenerated<T>(files: FileSet, use: (dir: string) => Promise<T>): Promise<T> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-generated-'));
  try {
    await writeFileSet(path.join(scratch, 'generated'), files);
    return await use(path.join(scratch, 'generated'));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * A project as `monforge init` makes it (its definitions import 'monforge', which vitest
 * resolves to this checkout), in a scratch folder of its own. Removed by the returned cleanup.
 */
export async function initProject(name: string): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const parent = path.join(repoRoot, 'test/.tmp');
  await mkdir(parent, { recursive: true });
  const root = await mkdtemp(path.join(parent, `${name}-`));
  await cp(path.join(repoRoot, 'templates/init/definitions'), path.join(root, 'definitions'), { recursive: true });
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/**
 * Makes 'monforge' resolve to this checkout for the bin run in a project (tsx follows
 * node_modules), as `npm install monforge` would for a user.
 */
export async function linkMonforge(root: string): Promise<void> {
  const dir = path.join(root, 'node_modules/monforge');
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'monforge', type: 'module', exports: { '.': './index.ts' } })}\n`,
  );
  await writeFile(path.join(dir, 'index.ts'), `export * from ${JSON.stringify(path.join(repoRoot, 'src/index.ts'))};\n`);
}
