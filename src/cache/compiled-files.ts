// A service's files, and the health score's, taken from generated/ instead of compiled again.
// compileService is a pure function of the config's and the service's data (compile/index.ts),
// and the health score's files of what they read of every service (HealthFilesInput), so the
// cache keeps, under the fingerprint of that data, the SHA-256 of each file they compiled to (and
// a service's alerts' labels). A later run whose data has the same fingerprint, and whose
// generated/ holds files with exactly those hashes, takes those files as they are: they are the
// bytes compiling would give. Anything else (no entry, a file missing or edited, data that has no
// fingerprint) is compiled as before.
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { compileService, type PartCompilers, type ServiceCompiler, type ServiceOutput } from '../compile/index.ts';
import { healthFilesInput, healthScoreFiles, type HealthCompiler } from '../compile/prometheus/index.ts';
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
  /** Files taken unread-again from generated/: the tree links them as they are. */
  private readonly kept = new Set<string>();
  /** Entries of the parts compiled in this run, stored by `save`. */
  private readonly compiled = new Map<string, Entry>();

  private constructor(
    private readonly cache: ResultCache,
    private readonly outDir: string,
    /** Each service's lookup, by name. */
    private readonly services: ReadonlyMap<string, Lookup>,
    /** The health score's files' lookup, by key. */
    private readonly health: ReadonlyMap<string, Lookup>,
  ) {}

  /** Looks up every part of `platform` at once, so that compiling (synchronous) only reads files. */
  static async open(cache: ResultCache, outDir: string, platform: Platform): Promise<CompiledFilesCache> {
    const lookup = async (key: string): Promise<Lookup> => ({ key, found: parseEntry(await cache.get(key)) });
    const config = fingerprint(platform.config);
    const services = new Map<string, Lookup>();
    const health = new Map<string, Lookup>();
    const healthData = fingerprint(healthFilesInput(platform));
    await Promise.all([
      ...platform.services.map(async (service) => {
        const data = config === undefined ? undefined : fingerprint(service);
        if (data !== undefined) services.set(service.name, await lookup(entryKey('service-files', config!, data)));
      }),
      (async () => {
        if (healthData === undefined) return;
        const found = await lookup(entryKey('health-files', healthData));
        health.set(found.key, found);
      })(),
    ]);
    return new CompiledFilesCache(cache, outDir, services, health);
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
    if (lookup)
      this.compiled.set(lookup.key, {
        files: [...output.files].map(([path, content]) => [path, sha256(content)] as const),
        alertLabels: output.alertLabels,
      });
    return output;
  }

  /** Whether `path` was taken from generated/ as it is. */
  isKept(path: string): boolean {
    return this.kept.has(path);
  }

  /** Stores the entries of the parts compiled in this run (a cache that cannot be written only costs compiling again). */
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
