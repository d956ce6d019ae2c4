// A service's files taken from generated/ instead of compiled again. compileService is a pure
// function of the config's and the service's data (compile/index.ts), so the cache keeps, under
// the fingerprint of that data, the SHA-256 of each file it compiled to and its alerts' labels. A
// later generate whose service has the same fingerprint, and whose generated/ holds files with
// exactly those hashes, takes those files as they are: they are the bytes compiling would give.
// Anything else (no entry, a file missing or edited, data that has no fingerprint) is compiled as
// before.
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { compileService, type ServiceCompiler, type ServiceOutput } from '../compile/index.ts';
import type { PlatformConfig } from '../model/config.ts';
import type { AlertLabels } from '../model/emitted.ts';
import type { Platform, Sourced } from '../model/platform.ts';
import { assertSafePath, type FileSet } from '../output/fileset.ts';
import { fingerprint } from './fingerprint.ts';
import { digest, type ResultCache } from './result-cache.ts';

/** What is kept of a compiled service: each file with the SHA-256 of its bytes, and its alerts' labels. */
interface Entry {
  readonly files: readonly (readonly [path: string, sha256: string])[];
  readonly alertLabels: readonly AlertLabels[];
}

const sha256 = (bytes: string | Buffer): string => hash('sha256', bytes);

export class ServiceFilesCache {
  /** Files taken unread-again from generated/: the tree links them as they are. */
  private readonly kept = new Set<string>();
  /** Entries of the services compiled in this run, stored by `save`. */
  private readonly compiled = new Map<string, Entry>();

  private constructor(
    private readonly cache: ResultCache,
    private readonly outDir: string,
    /** Each service's entry key (none when its data has no fingerprint), and the entry found under it. */
    private readonly entries: ReadonlyMap<string, { readonly key: string; readonly found: Entry | undefined }>,
  ) {}

  /** Looks up every service of `platform` at once, so that compiling (synchronous) only reads files. */
  static async open(cache: ResultCache, outDir: string, platform: Platform): Promise<ServiceFilesCache> {
    const config = fingerprint(platform.config);
    const entries = new Map<string, { key: string; found: Entry | undefined }>();
    if (config !== undefined)
      await Promise.all(
        platform.services.map(async (service) => {
          const text = fingerprint(service);
          if (text === undefined) return;
          // Node's version too: the compilers' sorting and number formatting are Node's.
          const key = digest(['service-files', process.version, config, text]);
          entries.set(service.name, { key, found: parseEntry(await cache.get(key)) });
        }),
      );
    return new ServiceFilesCache(cache, outDir, entries);
  }

  /** compileService, or the service's files from generated/ when they are what it would give. */
  readonly compiler: ServiceCompiler = (config: PlatformConfig & Sourced, service): ServiceOutput => {
    const entry = this.entries.get(service.name);
    const files = entry?.found && this.take(entry.found);
    if (files) return { files, alertLabels: entry.found!.alertLabels };
    const output = compileService(config, service);
    if (entry)
      this.compiled.set(entry.key, {
        files: [...output.files].map(([path, content]) => [path, sha256(content)] as const),
        alertLabels: output.alertLabels,
      });
    return output;
  };

  /** Whether `path` was taken from generated/ as it is. */
  isKept(path: string): boolean {
    return this.kept.has(path);
  }

  /** Stores the entries of the services compiled in this run (a cache that cannot be written only costs compiling again). */
  async save(): Promise<void> {
    await Promise.all([...this.compiled].map(([key, entry]) => this.cache.put(key, JSON.stringify(entry))));
  }

  /** The entry's files, read from generated/, when every one is there with its hash. */
  private take(entry: Entry): FileSet | undefined {
    const files = new Map<string, string>();
    for (const [path, expected] of entry.files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(`${this.outDir}/${path}`);
      } catch {
        return undefined;
      }
      if (sha256(bytes) !== expected) return undefined;
      files.set(path, bytes.toString('utf8'));
    }
    for (const path of files.keys()) this.kept.add(path);
    return files;
  }
}

/** A stored entry; anything else (none, a damaged one, a path outside generated/) is none. */
function parseEntry(text: string | undefined): Entry | undefined {
  if (text === undefined) return undefined;
  try {
    const { files, alertLabels } = JSON.parse(text) as Record<string, unknown>;
    if (!Array.isArray(files) || !Array.isArray(alertLabels)) return undefined;
    for (const pair of files) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[1] !== 'string') return undefined;
      assertSafePath(pair[0]); // throws on a path that is not a string or leaves generated/
    }
    const isLabels = (labels: unknown): boolean =>
      typeof labels === 'object' && labels !== null && Object.values(labels).every((value) => typeof value === 'string');
    return alertLabels.every(isLabels) ? { files, alertLabels } : undefined;
  } catch {
    return undefined;
  }
}
