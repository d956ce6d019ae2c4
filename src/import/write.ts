import { link, lstat, mkdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory, viaTemporary } from '../output/durable.ts';

// Import writes all of its files or none. It never replaces a file: a file that exists is a
// refusal before anything is written. Each file appears complete (written and synced under a
// temporary name, then linked to its name, which fails rather than replace a file created in
// between); if any write fails, the files already written are removed again.

export interface PlannedFile {
  /** Relative to the project root, POSIX. */
  readonly file: string;
  readonly content: string;
}

/** The planned files that exist already (each would be replaced). */
export async function existingFiles(root: string, files: readonly PlannedFile[]): Promise<string[]> {
  const exists = await Promise.all(
    files.map((each) =>
      lstat(path.join(root, each.file)).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return false;
          throw error;
        },
      ),
    ),
  );
  return files.filter((_, index) => exists[index]).map((each) => each.file);
}

/** Writes every file; on failure removes what it wrote and throws. Returns how to take the files back out. */
export async function writeAll(root: string, files: readonly PlannedFile[]): Promise<() => Promise<void>> {
  const created: string[] = [];
  const madeDirs: string[] = [];
  const undo = async (): Promise<void> => {
    for (const file of created.reverse()) await rm(file, { force: true });
    // Only the folders this import made, deepest first, and only when they are empty again.
    for (const dir of madeDirs.sort((a, b) => b.length - a.length)) await rmdir(dir).catch(() => {});
  };
  try {
    for (const { file, content } of files) {
      const target = path.join(root, file);
      const dir = path.dirname(target);
      const first = await mkdir(dir, { recursive: true });
      if (first !== undefined) madeDirs.push(...ancestors(first, dir));
      await createComplete(target, content);
      created.push(target);
    }
    for (const dir of new Set(created.map((file) => path.dirname(file)))) await syncDirectory(dir);
  } catch (error) {
    await undo();
    throw error;
  }
  return undo;
}

/** `first` (the first folder mkdir created) and every folder below it down to `dir`. */
function ancestors(first: string, dir: string): string[] {
  const dirs: string[] = [];
  for (let current = dir; current.length >= first.length; current = path.dirname(current)) {
    dirs.push(current);
    if (current === first) break;
  }
  return dirs;
}

/** The file complete or not at all: written and synced under a temporary name, then linked to its name (never over a file). */
const createComplete = (target: string, content: string): Promise<void> =>
  viaTemporary(target, content, 0o644, (temporary) => link(temporary, target));
