// Writes generated/ so that a reader (Prometheus reloading, a CI diff) sees either the old
// tree or the new one, never half of each, and a failed run leaves the old tree untouched.
import { randomBytes } from 'node:crypto';
import { link, mkdir, mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { assertSafePaths, type FileSet } from './fileset.ts';

/**
 * Replaces outDir with `files`, atomically. A file `unchanged` says outDir already holds as it
 * is (the caller compared them) is linked into the new tree instead of written and synced again.
 */
export async function writeFileSet(outDir: string, files: FileSet, unchanged?: (path: string) => boolean): Promise<void> {
  assertSafePaths(files);
  const target = resolve(outDir);
  const existing = await stat(target).catch(unlessMissing);
  // The swap would move a stray file of that name away and delete it.
  if (existing !== undefined && !existing.isDirectory()) throw new Error(`${outDir} exists and is not a directory`);

  // A sibling, so that the final rename stays on one filesystem and is atomic.
  await mkdir(dirname(target), { recursive: true });
  const staging = await mkdtemp(join(dirname(target), '.monforge-tmp-'));
  try {
    for (const [path, content] of files) {
      const kept = existing !== undefined && unchanged?.(path) === true && (await linked(join(target, path), join(staging, path)));
      if (!kept) await writeDurably(join(staging, path), content);
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await swap(staging, target, existing !== undefined);
}

/** Creates or replaces one file so that a reader sees the old contents or the new, never a mix. */
export async function replaceFile(file: string, content: string): Promise<void> {
  const temporary = join(dirname(file), `.monforge-tmp-${randomBytes(6).toString('hex')}`);
  try {
    await writeDurably(temporary, content);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Links `from` at `to` (a file already durable on disk); false when the filesystem cannot. */
async function linked(from: string, to: string): Promise<boolean> {
  await mkdir(dirname(to), { recursive: true });
  return link(from, to).then(
    () => true,
    () => false,
  );
}

async function writeDurably(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  // 'wx': on a case-insensitive filesystem `A.yml` and `a.yml` collide; fail instead of keeping one.
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(content);
    await handle.sync(); // the rename must not become durable before the contents do
  } finally {
    await handle.close();
  }
}

// rename() cannot replace a non-empty directory, so the old tree is moved aside first.
async function swap(staging: string, target: string, hasOld: boolean): Promise<void> {
  const backup = join(dirname(target), `.monforge-old-${randomBytes(6).toString('hex')}`);
  try {
    if (hasOld) await rename(target, backup);
    try {
      await rename(staging, target);
    } catch (error) {
      if (hasOld) await rename(backup, target);
      throw error;
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  if (hasOld) await rm(backup, { recursive: true, force: true });
}

function unlessMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code !== 'ENOENT') throw error;
  return undefined;
}
