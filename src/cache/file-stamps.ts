// What generated/ held when the last generate wrote it: each file the cache knows the hash of,
// with the stat stamp it had then (inode, size, modification time). A later run whose file has
// the same stamp knows the file's hash without reading it, as git's index does; any write to
// the file changes its modification time, and an editor's save-by-rename its inode. A file
// modified later than `racyMs` before the run began is left out: it may have changed after
// the run knew its bytes, or within the tick of the filesystem's clock its time records, where
// an edit would keep that time ("racily clean" in git's words).
import type { Stats } from 'node:fs';
import { statSync } from 'node:fs';
import path from 'node:path';
import { digest, type ResultCache } from './result-cache.ts';

/** More than the coarsest timestamp a filesystem keeps (FAT's two seconds). */
const racyMs = 3000;

type Stamp = readonly [sha256: string, inode: number, size: number, mtimeMs: number];

export class FileStamps {
  private constructor(private readonly stamps: ReadonlyMap<string, Stamp>) {}

  /** Where the stamps of `outDir` are kept: one entry per output folder, replaced by each generate. */
  private static key(outDir: string): string {
    return digest(['file-stamps', path.resolve(outDir)]);
  }

  /** The stamps the last generate into `outDir` left; none when there are none or they cannot be read. */
  static read(cache: ResultCache, outDir: string): FileStamps {
    const stamps = new Map<string, Stamp>();
    try {
      const stored = JSON.parse(cache.getSync(FileStamps.key(outDir)) ?? '{}') as Record<string, unknown>;
      for (const [file, stamp] of Object.entries(stored))
        if (Array.isArray(stamp) && stamp.length === 4 && typeof stamp[0] === 'string' && stamp.slice(1).every(Number.isFinite))
          stamps.set(file, stamp as unknown as Stamp);
    } catch {
      // A damaged entry only costs reading the files.
    }
    return new FileStamps(stamps);
  }

  /** The SHA-256 recorded for `file` when its stat is still `stats`; undefined when it may have changed. */
  hashOf(file: string, stats: Stats): string | undefined {
    const stamp = this.stamps.get(file);
    if (!stamp) return undefined;
    const [sha256, inode, size, mtimeMs] = stamp;
    return stats.ino === inode && stats.size === size && stats.mtimeMs === mtimeMs ? sha256 : undefined;
  }

  /**
   * Records the stamps `outDir`'s files have now, for files whose hash the run that began at
   * `began` (ms since the epoch, before it read any file) knows, replacing the last ones.
   */
  static async save(
    cache: ResultCache,
    outDir: string,
    hashes: Iterable<readonly [file: string, sha256: string]>,
    began: number,
  ): Promise<void> {
    const stamps: Record<string, Stamp> = {};
    for (const [file, sha256] of hashes) {
      const stats = statOf(`${outDir}/${file}`);
      if (stats && stats.mtimeMs < began - racyMs) stamps[file] = [sha256, stats.ino, stats.size, stats.mtimeMs];
    }
    await cache.put(FileStamps.key(outDir), JSON.stringify(stamps));
  }
}

/** A file's stat; none for a file that cannot be stat'ed (it is then only read next time). */
function statOf(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
