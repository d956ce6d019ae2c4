import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

// Single files that something else reads while we write them (a running Prometheus or
// Alertmanager, the webhook's state after a crash): replaced atomically, so a reader sees the
// old file or the new one, and durable before the caller acts on them.

export async function readIfExists(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** Writes `content` to a temporary file beside `file`, syncs it, renames it over `file` and syncs the directory. */
export async function replaceFile(file: string, content: string, mode = 0o644): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.monforge-${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    // The write's own error is the one to report, not a failure to clean up after it.
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
  await syncDirectory(path.dirname(file));
}

export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true });
  await syncDirectory(path.dirname(file));
}

/** Puts a file back as it was: its old content, or gone when it did not exist. */
export async function restoreFile(file: string, previous: string | undefined): Promise<void> {
  if (previous === undefined) await removeFile(file);
  else await replaceFile(file, previous);
}

/** Makes a rename or unlink in `dir` durable (the entry lives in the directory, not the file). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
