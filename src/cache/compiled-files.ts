// A service's files, and the health score's, taken from generated/ instead of compiled again.
// compileService is a pure function of the config's and the service's data (compile/index.ts),
// and the health score's files of what they read of every service (HealthFilesInput), so the
// cache keeps, under the fingerprint of that data, the SHA-256 of each file they compiled to (and
// a service's alerts' labels). A later run whose data has the same fingerprint, and whose
// generated/ holds files with exactly those hashes, takes those files as they are: they are the
// bytes compiling would give. Anything else (no entry, a file missing or edited, data that has no
// fingerprint) is compiled as before.
//
// Taken files are not read: their hashes come from the stamps the last generate left
// (file-stamps.ts) when their stat is unchanged, else from reading them; their text is read
// only by whoever asks for it (kept-files.ts).
import { hash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { compileService, type PartCompilers, type ServiceCompiler, type ServiceOutput } from '../compile/index.ts';
import { healthFilesInput, healthScoreFiles, type HealthCompiler } from '../compile/prometheus/index.ts';
import type { PlatformConfig } from '../model/config.ts';
import type { AlertLabels } from '../model/emitted.ts';
import type { Platform, Sourced } from '../model/platform.ts';
import { assertSafePath } from '../output/fileset.ts';
import { countRules, type RuleCounts } from '../output/rule-counts.ts';
import { FileStamps } from './file-stamps.ts';
import { fingerprint } from './fingerprint.ts';
import { KeptFiles } from './kept-files.ts';
import { digest, type ResultCache } from './result-cache.ts';

/** What is kept of a compiled service: each file with the SHA-256 of its bytes, its alerts' labels, and its files' rule counts. */
interface Entry {
  readonly files: readonly (readonly [path: string, sha256: string])[];
  readonly alertLabels: readonly AlertLabels[];
  readonly rules: RuleCounts;
}

const sha256 = (bytes: string | Buffer): string => hash('sha256', bytes);

/** Where a part's entry is kept (none when its data has no fingerprint), and the entry found there. */
interface Lookup {
  readonly key: string;
  readonly found: Entry | undefined;
}

/** The key of a part's entry: what it is, and the fingerprint of all it is compiled from. */
const entryKey = (part: string, ...data: string[]): string =>
  // Node's version too: the compilers' sorting and number formatting are Node's.
  digest([part, process.version, ...data]);

export class CompiledFilesCache {
  /** Files taken from generated/ as they are: the tree links them unread. */
  private readonly kept = new Set<string>();
  /** Entries of the parts compiled in this run, stored by `save`. */
  private readonly compiled = new Map<string, Entry>();
  /** Every file of this run's entries (taken or compiled) with its SHA-256, for the next run's stamps. */
  private readonly hashes = new Map<string, string>();
  /** When this run began, before it read any file of generated/: stamps are recorded only for files older than that. */
  private readonly began = Date.now();

  private constructor(
    private readonly cache: ResultCache,
    private readonly outDir: string,
    /** Each service's lookup, by name. */
    private readonly services: ReadonlyMap<string, Lookup>,
    /** The health score's files' lookup, by key. */
    private readonly health: ReadonlyMap<string, Lookup>,
    private readonly stamps: FileStamps,
  ) {}

  /**
   * Looks up every part of `platform`. Synchronously: a thousand small entries from the page
   * cache, where each asynchronous read is a round trip through the thread pool.
   */
  static open(cache: ResultCache, outDir: string, platform: Platform): CompiledFilesCache {
    const lookup = (key: string): Lookup => ({ key, found: parseEntry(cache.getSync(key)) });
    const config = fingerprint(platform.config);
    const services = new Map<string, Lookup>();
    if (config !== undefined)
      for (const service of platform.services) {
        const data = fingerprint(service);
        if (data !== undefined) services.set(service.name, lookup(entryKey('service-files', config, data)));
      }
    const health = new Map<string, Lookup>();
    const healthData = fingerprint(healthFilesInput(platform));
    if (healthData !== undefined) {
      const found = lookup(entryKey('health-files', healthData));
      health.set(found.key, found);
    }
    return new CompiledFilesCache(cache, outDir, services, health, FileStamps.read(cache, outDir));
  }

  /** How compile/index.ts compiles through the cache: each service, and the health score's files. */
  get compilers(): PartCompilers {
    return { service: this.service, health: this.healthFiles };
  }

  /** compileService, or the service's files from generated/ when they are what it would give. */
  private readonly service: ServiceCompiler = (config: PlatformConfig & Sourced, service): ServiceOutput =>
    this.through(this.services.get(service.name), () => compileService(config, service));

  /** healthScoreFiles, or its files from generated/ when they are what it would give. */
  private readonly healthFiles: HealthCompiler = (input) => {
    const data = fingerprint(input);
    const lookup = data === undefined ? undefined : this.health.get(entryKey('health-files', data));
    return this.through(lookup, () => ({ files: healthScoreFiles(input), alertLabels: [] })).files;
  };

  /** The part's output taken from generated/ when its entry's files are there, else compiled (and noted for `save`). */
  private through(lookup: Lookup | undefined, compile: () => ServiceOutput): ServiceOutput {
    const files = lookup?.found && this.take(lookup.found);
    if (files) return { files, alertLabels: lookup.found!.alertLabels };
    const output = compile();
    if (lookup) {
      const entry: Entry = {
        files: [...output.files].map(([path, content]) => [path, sha256(content)] as const),
        alertLabels: output.alertLabels,
        rules: countRules(output.files),
      };
      this.compiled.set(lookup.key, entry);
      for (const [path, hashed] of entry.files) this.hashes.set(path, hashed);
    }
    return output;
  }

  /** Whether `path` was taken from generated/ as it is. */
  isKept(path: string): boolean {
    return this.kept.has(path);
  }

  /**
   * Stores the entries of the parts compiled in this run (a cache that cannot be written only
   * costs compiling again). `written`: generated/ now holds every file of this run's parts (a
   * generate that wrote it), so their stamps are recorded for the next run.
   */
  async save(options: { written: boolean }): Promise<void> {
    await Promise.all([
      ...[...this.compiled].map(([key, entry]) => this.cache.put(key, JSON.stringify(entry))),
      options.written && FileStamps.save(this.cache, this.outDir, this.hashes, this.began),
    ]);
  }

  /** The entry's files as generated/ holds them, when every one is there with its hash. */
  private take(entry: Entry): KeptFiles | undefined {
    for (const [path, expected] of entry.files) if (this.hashOf(path) !== expected) return undefined;
    for (const [path, hashed] of entry.files) {
      this.kept.add(path);
      this.hashes.set(path, hashed);
    }
    return new KeptFiles(
      this.outDir,
      entry.files.map(([path]) => path),
      entry.rules,
    );
  }

  /** The SHA-256 of a file of generated/: from its stamp while its stat is unchanged, else from its bytes; undefined when it is not there. */
  private hashOf(path: string): string | undefined {
    const file = `${this.outDir}/${path}`;
    try {
      const stats = statSync(file, { throwIfNoEntry: false });
      return stats?.isFile() ? (this.stamps.hashOf(path, stats) ?? sha256(readFileSync(file))) : undefined;
    } catch {
      return undefined; // not there, or not readable: compiled again
    }
  }
}

/** A stored entry; anything else (none, a damaged one, a path outside generated/) is none. */
function parseEntry(text: string | undefined): Entry | undefined {
  if (text === undefined) return undefined;
  try {
    const { files, alertLabels, rules } = JSON.parse(text) as Record<string, unknown>;
    if (!Array.isArray(files) || !Array.isArray(alertLabels) || !isRuleCounts(rules)) return undefined;
    for (const pair of files) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[1] !== 'string') return undefined;
      assertSafePath(pair[0]); // throws on a path that is not a string or leaves generated/
    }
    const isLabels = (labels: unknown): boolean =>
      typeof labels === 'object' && labels !== null && Object.values(labels).every((value) => typeof value === 'string');
    return alertLabels.every(isLabels) ? { files, alertLabels, rules } : undefined;
  } catch {
    return undefined;
  }
}

function isRuleCounts(value: unknown): value is RuleCounts {
  const count = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;
  return typeof value === 'object' && value !== null && count((value as RuleCounts).alerts) && count((value as RuleCounts).records);
}
