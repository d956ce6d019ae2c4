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
  await viaTemporary(file, content, mode, (temporary) => rename(temporary, file));
  await syncDirectory(path.dirname(file));
}

/**
 * Writes `content` to a new temporary file beside `file` and syncs it, then hands it to `place`
 * (a rename over `file`, or a link that fails rather than replace it); the temporary is gone after.
 */
export async function viaTemporary(
  file: string,
  content: string,
  mode: number,
  place: (temporary: string) => Promise<void>,
): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.monforge-${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await place(temporary);
  } finally {
    // After a rename there is nothing left; after a failure, the write's own error is the one to report.
    await rm(temporary, { force: true }).catch(() => {});
  }
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
