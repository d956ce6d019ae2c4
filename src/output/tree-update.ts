// Replaces generated/ file by file as the compilers hand their files over, so that no run holds
// every file's text at once: each file is compared with the one on disk as it arrives, linked
// from the old tree when its bytes are the same, written when not, and dropped. A reader sees
// the old tree or the new one, never half of each (the new tree is built beside the old and
// swapped in), and a failed run leaves the old tree untouched.
//
// Comparing, linking and writing are synchronous: each is a few microseconds from the page
// cache, where a round trip through libuv's thread pool costs more than the work. Only the
// fsyncs wait for the disk, so they are issued together at the end, before the swap.
//
// The new tree is begun only at the first file that differs (its files so far are linked
// then): a run that changes nothing leaves the tree on disk as it is, swaps nothing and
// removes nothing. A file linked that late must still be the file found unchanged (its inode,
// size and time): one replaced or removed meanwhile fails the run (TreeChangedError) rather
// than slip into the new tree unseen.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  type Dirent,
  fstatSync,
  type Stats,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { assertSafePath, assertSafePaths, compareBytes } from './fileset.ts';

/** How generated/ differs from what was generated: files whose bytes differ, files not there, files no longer generated. */
export type Drift = { stale: string[]; missing: string[]; extra: string[] };

/** What became of one file: the same bytes were there, other bytes, or none. */
export type FileStatus = 'unchanged' | 'stale' | 'missing';

/** What an update did: the drift it found, and the removal of the tree it replaced (done after the swap, off the critical path). */
export interface Updated {
  readonly drift: Drift;
  readonly oldTreeRemoved: Promise<void>;
}

/** A file of the tree changed on disk while an update compared it and built the new tree: the old tree is left as it was. */
export class TreeChangedError extends Error {}

/** What a file was when found unchanged: its later link must find the very same file. */
type Seen = Pick<Stats, 'ino' | 'size' | 'mtimeMs'>;

const sameFile = (now: Seen | undefined, seen: Seen): boolean =>
  now !== undefined && now.ino === seen.ino && now.size === seen.size && now.mtimeMs === seen.mtimeMs;

/** fsyncs in flight at once: enough for the disk to commit them together, few enough for the thread pool. */
const syncConcurrency = 32;

/**
 * One update of an output directory. `put` each file; `commit` swaps the new tree in (or, when
 * only comparing, just reports the drift); `discard` drops it. Use through `updateTree`.
 */
export class TreeUpdate {
  private readonly seen = new Set<string>();
  private readonly drift: Drift = { stale: [], missing: [], extra: [] };
  private readonly written: string[] = [];
  private readonly madeDirs = new Set<string>();
  private encoded = Buffer.alloc(0);
  private read = Buffer.alloc(0);
  /** Where the new tree is built, once a file differs (or when there is no tree yet). */
  private staging: string | undefined;
  /** Files found unchanged before the new tree was begun: how to write one where linking fails, and what it was then. */
  private unchangedBefore: (readonly [path: string, text: (() => string) | undefined, seen: Seen | null])[] = [];
  /** The stat of the file `sameBytes` compared last. */
  private compared: Stats | undefined;

  private constructor(
    private readonly target: string,
    /** False when only comparing. */
    private readonly write: boolean,
    private readonly onDisk: ReadonlySet<string>,
  ) {}

  /** Starts an update of `outDir`; with `write: false` nothing is written, files are only compared. */
  static async open(outDir: string, options: { write: boolean }): Promise<TreeUpdate> {
    const target = resolve(outDir);
    const there = statSync(target, { throwIfNoEntry: false });
    // The swap would move a stray file of that name away and delete it.
    if (there?.isDirectory() === false) throw new Error(`${outDir} exists and is not a directory`);
    const update = new TreeUpdate(target, options.write, new Set(listFilesSync(target)));
    if (options.write && !there) update.begin();
    return update;
  }

  /** Adds one file at a relative path (see assertSafePath), compared with the tree on disk. */
  put(path: string, content: string): FileStatus {
    this.claim(path);
    const status: FileStatus = !this.onDisk.has(path) ? 'missing' : this.sameBytes(path, content) ? 'unchanged' : 'stale';
    // Unchanged: the bytes on disk are these, so the text need not be held until the tree is begun.
    return status === 'unchanged' ? this.add(path, status, undefined, this.compared) : this.add(path, status, () => content);
  }

  /**
   * Adds a file the caller knows the tree on disk holds as it is: linked without reading it
   * back. `text` gives its bytes where the file is gone or another by now (generate --watch
   * holds the text it wrote); without it, the tree's own bytes are the file's (generate's files
   * taken from generated/ unread), and a file gone or replaced fails the update.
   */
  keep(path: string, text?: () => string): FileStatus {
    this.claim(path);
    return this.add(path, this.onDisk.has(path) ? 'unchanged' : 'missing', text);
  }

  private claim(path: string): void {
    assertSafePath(path); // a `..` path would read or write outside outDir
    if (this.seen.has(path)) throw new Error(`two outputs produce the same file: ${path}`);
    this.seen.add(path);
  }

  /**
   * `text`: the file's bytes when they are not (only) the tree's own. `seen`: the file's stat when
   * it was compared (else taken here, if the file must wait for the tree to be begun).
   */
  private add(path: string, status: FileStatus, text: (() => string) | undefined, seen?: Seen): FileStatus {
    if (status !== 'unchanged') this.drift[status].push(path);
    if (!this.write) return status;
    if (this.staging === undefined) {
      if (status === 'unchanged') {
        this.unchangedBefore.push([path, text, seen ?? statSync(`${this.target}/${path}`, { throwIfNoEntry: false }) ?? null]);
        return status;
      }
      this.begin();
    }
    this.place(path, status, text);
    return status;
  }

  /**
   * Puts a file in the new tree: an unchanged one linked from the old tree (copied where the
   * filesystem cannot link), else written from its text. `seen`: the file was found unchanged a
   * while ago, so the file linked now must be that very file (`null`: it was gone already).
   */
  private place(path: string, status: FileStatus, text: (() => string) | undefined, seen?: Seen | null): void {
    // Both are absolute and `path` is a checked relative POSIX path: no join needed (Windows takes `/` too).
    const file = `${this.staging}/${path}`;
    const from = `${this.target}/${path}`;
    this.makeParent(file);
    if (status === 'unchanged') {
      const same = (now: Seen | undefined): boolean => seen === undefined || (seen !== null && sameFile(now, seen));
      if (seen !== null && linked(from, file)) {
        if (same(statSync(file))) return;
        rmSync(file); // another file under that name by now
      } else if (!text && same(statSync(from, { throwIfNoEntry: false }))) {
        return this.writeFile(
          file,
          readOwn(from, () => this.changed(path)),
        );
      }
    }
    if (!text) throw this.changed(path);
    this.writeFile(file, text());
  }

  private changed(path: string): TreeChangedError {
    return new TreeChangedError(`${this.target}/${path} changed while it was being generated: the tree is left as it was; run again`);
  }

  /** Begins the new tree, with the unchanged files put before. */
  private begin(): void {
    // A sibling, so that the final rename stays on one filesystem and is atomic.
    mkdirSync(dirname(this.target), { recursive: true });
    this.staging = mkdtempSync(join(dirname(this.target), '.monforge-tmp-'));
    for (const [path, text, seen] of this.unchangedBefore) this.place(path, 'unchanged', text, seen);
    this.unchangedBefore = [];
  }

  /** Makes every written file durable, then swaps the new tree in. The drift, each list in UTF-8 byte order. */
  async commit(): Promise<Updated> {
    this.drift.extra = [...this.onDisk].filter((path) => !this.seen.has(path));
    for (const list of Object.values(this.drift)) list.sort(compareBytes);
    if (this.write && this.staging === undefined && this.drift.extra.length > 0) this.begin();
    // Only comparing, or every file was there as it is: the tree on disk stays.
    if (this.staging === undefined) return { drift: this.drift, oldTreeRemoved: Promise.resolve() };
    // The rename must not become durable before the contents do.
    await syncAll(this.written);
    const old = await swap(this.staging, this.target);
    return { drift: this.drift, oldTreeRemoved: old === undefined ? Promise.resolve() : rm(old, { recursive: true, force: true }) };
  }

  /** Drops the new tree; the old one stays as it was. */
  async discard(): Promise<void> {
    if (this.staging !== undefined) await rm(this.staging, { recursive: true, force: true });
  }

  private writeFile(file: string, content: string | Buffer): void {
    // 'wx': on a case-insensitive filesystem `A.yml` and `a.yml` collide; fail instead of keeping one.
    writeFileSync(file, content, { flag: 'wx' });
    this.written.push(file);
  }

  /** Bytes, not decoded text: invalid UTF-8 on disk must not compare equal after decoding. */
  private sameBytes(path: string, content: string): boolean {
    // Encoding tells the length (cheaper than Buffer.byteLength, then encoding). With fewer than
    // 4 bytes (one character) left over, the buffer may have cut the text short: grow it.
    let length = this.encoded.write(content);
    if (length > this.encoded.length - 4) {
      this.encoded = Buffer.allocUnsafe(Buffer.byteLength(content) + 4);
      length = this.encoded.write(content);
    }
    if (this.read.length < length) this.read = Buffer.allocUnsafe(length);
    const fd = openSync(`${this.target}/${path}`, 'r');
    try {
      this.compared = fstatSync(fd);
      if (this.compared.size !== length) return false;
      for (let offset = 0; offset < length; ) {
        const count = readSync(fd, this.read, offset, length - offset, offset);
        if (count === 0) return false; // shrunk while being read
        offset += count;
      }
      return this.encoded.compare(this.read, 0, length, 0, length) === 0;
    } finally {
      closeSync(fd);
    }
  }

  private makeParent(file: string): void {
    const parent = dirname(file);
    if (this.madeDirs.has(parent)) return;
    mkdirSync(parent, { recursive: true });
    this.madeDirs.add(parent);
  }
}

/**
 * Runs `fill` on an update of `outDir` and commits it; when `fill` throws, the update is
 * discarded and the old tree stays as it was. With `write: false`, compares only.
 */
export async function updateTree(
  outDir: string,
  options: { write: boolean },
  fill: (tree: TreeUpdate) => void | Promise<void>,
): Promise<Updated> {
  const tree = await TreeUpdate.open(outDir, options);
  try {
    await fill(tree);
    return await tree.commit();
  } catch (error) {
    await tree.discard();
    throw error;
  }
}

/** Puts a whole FileSet (paths checked before anything touches the disk) and waits until the old tree is gone. */
export async function updateTreeWith(
  outDir: string,
  files: ReadonlyMap<string, string>,
  options: { write: boolean },
  unchanged?: (path: string) => boolean,
): Promise<Drift> {
  assertSafePaths(files);
  const { drift, oldTreeRemoved } = await updateTree(outDir, options, (tree) => {
    for (const [path, content] of files) {
      if (unchanged?.(path)) tree.keep(path, () => content);
      else tree.put(path, content);
    }
  });
  await oldTreeRemoved;
  return drift;
}

/** The tree's own bytes of a file that cannot be linked; gone by now, it is `changed()`. */
function readOwn(file: string, changed: () => Error): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw changed();
    throw error;
  }
}

/** Links `from` at `to` (a file already durable on disk); false when the filesystem cannot. */
function linked(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/** fsync of every file, `syncConcurrency` at a time. */
async function syncAll(files: readonly string[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      // 'r+': Windows flushes only a handle open for writing.
      const handle = await open(files[next++]!, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(syncConcurrency, files.length) }, worker));
}

/**
 * Moves the new tree into place; rename() cannot replace a non-empty directory, so the old tree
 * is moved aside first. Where the old tree went, for the caller to remove.
 */
async function swap(staging: string, target: string): Promise<string | undefined> {
  const hasOld = statSync(target, { throwIfNoEntry: false }) !== undefined;
  const old = join(dirname(target), `.monforge-old-${randomBytes(6).toString('hex')}`);
  try {
    if (hasOld) await rename(target, old);
    try {
      await rename(staging, target);
    } catch (error) {
      if (hasOld) await rename(old, target);
      throw error;
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return hasOld ? old : undefined;
}

/** Relative POSIX paths of everything under `root` that is not a directory; a missing `root` has none. */
export function listFilesSync(root: string): string[] {
  const paths: string[] = [];
  const walk = (relative: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(relative === '' ? root : join(root, relative), { withFileTypes: true });
    } catch (error) {
      if (relative === '' && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else paths.push(path);
    }
  };
  walk('');
  return paths;
}
