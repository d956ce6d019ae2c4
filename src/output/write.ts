// Writes generated/ so that a reader (Prometheus reloading, a CI diff) sees either the old
// tree or the new one, never half of each, and a failed run leaves the old tree untouched.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileSet } from './fileset.ts';
import { updateTreeWith } from './tree-update.ts';

/**
 * Replaces outDir with `files`, atomically (tree-update.ts). Files whose bytes are already on
 * disk are linked from the old tree; so are those `unchanged` says are, without reading them.
 */
export async function writeFileSet(outDir: string, files: FileSet, unchanged?: (path: string) => boolean): Promise<void> {
  await updateTreeWith(outDir, files, { write: true }, unchanged);
}

/** Creates or replaces one file so that a reader sees the old contents or the new, never a mix. */
export async function replaceFile(file: string, content: string): Promise<void> {
  const temporary = join(dirname(file), `.monforge-tmp-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(dirname(file), { recursive: true });
    // 'wx': never write through a file someone else left at that name.
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(content);
      await handle.sync(); // the rename must not become durable before the contents do
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
