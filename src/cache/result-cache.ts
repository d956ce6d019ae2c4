import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { monforgeVersion, packageRoot } from '../init/templates.ts';

// Results that depend only on bytes: promtool's and amtool's verdicts on generated files, the
// lints' findings on one file (check), what a service's data compiles to (compiled-files.ts). An
// entry is a file named by the SHA-256 of everything its result depends on (the inputs' paths and
// bytes, the tool's version, monforge's version and code), so an entry can only be found again
// for the very same inputs: nothing is ever invalidated, and a damaged or half-restored cache can
// only cost a re-run. It is trusted as far as whoever writes it: an entry forged on purpose could
// pass what should fail, so CI should restore a cache only from runs of trusted branches (as
// GitHub's and GitLab's caches are scoped). Only passes of the tools are kept: a failure is run
// again to print its output.

/** Where `check` and `generate` keep their cache unless told otherwise: the convention of Babel, ESLint and Vite. */
export const defaultCacheDir = (root: string): string => path.join(root, 'node_modules', '.cache', 'monforge');

/** Entries nobody used for this long are swept (CI caches are restored with their old times). */
const unusedAfterMs = 30 * 24 * 60 * 60 * 1000;
const sweepEveryMs = 24 * 60 * 60 * 1000;

/** SHA-256 over the parts, each length-prefixed so that two different lists never hash alike. */
export function digest(parts: readonly (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part) : part;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

export class ResultCache {
  private readonly used = new Set<string>();

  private constructor(private readonly dir: string) {}

  /**
   * The cache of this monforge build under `root`: its own folder, named by monforge's version
   * and a hash of its code, so results are never trusted across versions (nor across edits of a
   * source checkout); other builds' folders are removed.
   */
  static async open(root: string): Promise<ResultCache> {
    const build = await monforgeBuild();
    await mkdir(path.join(root, build), { recursive: true });
    // Only folders named like ours: --cache-dir may point somewhere that holds other things too.
    for (const entry of await readdir(root, { withFileTypes: true }))
      if (entry.isDirectory() && buildName.test(entry.name) && entry.name !== build)
        await rm(path.join(root, entry.name), { recursive: true, force: true });
    return new ResultCache(path.join(root, build));
  }

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), key);
  }

  /** The stored result of `key`, or undefined; a hit counts as a use. */
  async get(key: string): Promise<string | undefined> {
    const text = await readFile(this.file(key), 'utf8').catch(() => undefined);
    if (text !== undefined) this.used.add(key);
    return text;
  }

  /** `get`, synchronously: for many small entries at once, where each asynchronous read would be a round trip through the thread pool. */
  getSync(key: string): string | undefined {
    let text: string;
    try {
      text = readFileSync(this.file(key), 'utf8');
    } catch {
      return undefined;
    }
    this.used.add(key);
    return text;
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  /**
   * Stores a result; written beside its place and renamed, so a reader never sees half of it.
   * A cache that cannot be written (a full disk, a read-only CI cache) only costs a re-run later.
   */
  async put(key: string, value = ''): Promise<void> {
    const file = this.file(key);
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(temporary, value);
      await rename(temporary, file);
      this.used.add(key);
    } catch {
      await rm(temporary, { force: true }).catch(() => {});
    }
  }

  /**
   * Marks this run's entries as used now, and removes those nobody used for a month; at most once
   * a day (it reads every entry's time: at a thousand services, a tenth of a second each run).
   */
  async sweep(now = Date.now()): Promise<void> {
    const marker = path.join(this.dir, '.swept');
    const last = await stat(marker).catch(() => undefined);
    if (last && now - last.mtimeMs < sweepEveryMs && last.mtimeMs <= now) return;
    const date = new Date(now);
    for (const key of this.used) await utimes(this.file(key), date, date).catch(() => {});
    for (const shard of await readdir(this.dir).catch(() => [] as string[])) {
      for (const name of await readdir(path.join(this.dir, shard)).catch(() => [] as string[])) {
        const file = path.join(this.dir, shard, name);
        const info = await stat(file).catch(() => undefined);
        if (info && now - info.mtimeMs > unusedAfterMs) await rm(file, { force: true }).catch(() => {});
      }
    }
    await writeFile(marker, '')
      .then(() => utimes(marker, date, date))
      .catch(() => {});
  }
}

let build: Promise<string> | undefined;
const buildName = /^monforge-.+-[0-9a-f]{12}$/;

/** `monforge-<version>-<hash of monforge's own code>`: src/ in a source checkout, dist/ when installed. */
function monforgeBuild(): Promise<string> {
  build ??= (async () => {
    const source = path.join(packageRoot, 'src');
    const code = existsSync(path.join(source, 'cli.ts')) ? source : path.join(packageRoot, 'dist');
    const entries = await readdir(code, { recursive: true, withFileTypes: true }).catch(() => []);
    const files = entries
      .filter((entry) => entry.isFile() && /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort();
    const parts: (string | Buffer)[] = [];
    // Read synchronously: hundreds of small files from the page cache, where each asynchronous read is a round trip through the thread pool.
    for (const file of files) parts.push(path.relative(code, file), readFileSync(file));
    return `monforge-${await monforgeVersion()}-${digest(parts).slice(0, 12)}`;
  })();
  return build;
}
