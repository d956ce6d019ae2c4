import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { typeCheckTimeout, typeErrors as typeErrorsKind } from '../findings/catalog/check.ts';
import { findingLine } from '../findings/kind.ts';
import { initTemplates } from '../init/templates.ts';
import { formatDuration } from '../model/duration.ts';

const run = promisify(execFile);

/** A type-check that takes longer than this is stuck. */
const typeCheckDeadlineMs = 5 * 60 * 1000;

/**
 * Type errors in the definitions and what they import, as tsc prints them; empty when clean.
 * Under the compiler options of the project's tsconfig.json, or when it has none, those
 * `monforge init` writes: the rest of the project (its tests, its app) is its own build's to check.
 */
export async function typeErrors(root: string, deadlineMs = typeCheckDeadlineMs): Promise<string[]> {
  const own = path.join(root, 'tsconfig.json');
  const hasOwn = await access(own).then(
    () => true,
    () => false,
  );
  // tsc looks for type packages (`types: ["node"]`) from the settings file up: it goes in the
  // node_modules the project resolves from (its own, or a workspace's above it), else anywhere.
  const modules = await nearestNodeModules(root);
  const cacheDir = modules && path.join(modules, '.cache', 'monforge');
  const placed =
    cacheDir &&
    (await mkdir(cacheDir, { recursive: true }).then(
      () => cacheDir,
      () => undefined,
    ));
  const scratch = placed ?? (await mkdtemp(path.join(os.tmpdir(), 'monforge-tsc-')));
  const config = path.join(scratch, `tsconfig.definitions-${randomBytes(6).toString('hex')}.json`);
  try {
    const settings = { extends: hasOwn ? own : path.join(initTemplates, 'tsconfig.json'), include: [path.join(root, 'definitions')] };
    await writeFile(config, `${JSON.stringify(settings)}\n`);
    await run(process.execPath, [tscPath(root), '--noEmit', '-p', config], { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: deadlineMs });
    return [];
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; killed?: boolean; message: string };
    if (failure.killed) return [findingLine(typeCheckTimeout(formatDuration(deadlineMs / 1000)))];
    return [`${findingLine(typeErrorsKind())}\n${`${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim() || failure.message}`];
  } finally {
    await rm(placed ? config : scratch, { recursive: true, force: true });
  }
}

/** The node_modules folder of `dir` or of the closest folder above it that has one. */
async function nearestNodeModules(dir: string): Promise<string | undefined> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const modules = path.join(at, 'node_modules');
    if (
      await access(modules).then(
        () => true,
        () => false,
      )
    )
      return modules;
    if (path.dirname(at) === at) return undefined;
  }
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
