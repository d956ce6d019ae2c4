import { readdirSync, statSync, watch as watchFiles, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { ResultCache } from '../cache/result-cache.ts';
import { CompiledFilesCache } from '../cache/compiled-files.ts';
import { KeptFiles } from '../cache/kept-files.ts';
import { compile, compileParts, reusingCompiler, type CompiledService } from '../compile/index.ts';
import { DefinitionErrors } from '../load/errors.ts';
import { loadPlatform } from '../load/load.ts';
import { DefinitionSession, isDefinitionInput } from '../load/session.ts';
import { seconds } from '../model/duration.ts';
import type { Platform } from '../model/platform.ts';
import { formatDrift, hasDrift } from '../output/drift.ts';
import { mergeFileSets, type FileSet } from '../output/fileset.ts';
import { countRules } from '../output/rule-counts.ts';
import { TreeChangedError, updateTree, type Drift, type Updated } from '../output/tree-update.ts';
import { cacheDirOf, cacheOptions, openCache } from './cache-options.ts';
import { defineCommand, UsageError, type CommandContext } from './command.ts';

export const generatedDir = (root: string): string => path.join(root, 'generated');

/** Loads and compiles the definitions under `root`; throws DefinitionErrors on bad input. */
export async function build(root: string): Promise<FileSet> {
  return (await buildPlatform(root)).files;
}

/** The platform and what `generate` writes for it; with a cache, unchanged services' files are taken from generated/ (cache/compiled-files.ts). */
export async function buildPlatform(root: string, cache?: ResultCache): Promise<{ platform: Platform; files: FileSet }> {
  const platform = await loadPlatform(root);
  if (!cache) return { platform, files: compile(platform) };
  const services = CompiledFilesCache.open(cache, generatedDir(root), platform);
  const files = mergeFileSets(...compileParts(platform, services.compilers));
  await services.save({ written: false });
  return { platform, files };
}

/** Seconds between evaluations of rule groups without their own interval: `defineConfig({ evaluationInterval })`, else Prometheus's 1m. */
export function evaluationIntervalOf(platform: Platform): number {
  return seconds(platform.config.evaluationInterval ?? '1m');
}

/** What `generate` did: the drift it found (empty with --check when up to date) and what it wrote. */
export interface Generated {
  readonly drift: Drift;
  readonly summary: string;
}

/**
 * `generate`: write generated/ atomically. `generate --check`: report drift instead, writing
 * nothing. With a cache (`cacheDir`, default node_modules/.cache/monforge; `false` for none), a
 * service whose data is the same as when its files were compiled before, and whose files are in
 * generated/ as compiled then, is not compiled again (cache/compiled-files.ts).
 */
export async function generate(root: string, options: { check: boolean; cacheDir?: string | false }): Promise<Generated> {
  const platform = await loadPlatform(root);
  const outDir = generatedDir(root);
  const cache = await openCache(root, options.cacheDir);
  const services = cache && CompiledFilesCache.open(cache, outDir, platform);
  const tally: Tally = { files: 0, alerts: 0, records: 0 };
  const parts = tallied(compileParts(platform, services?.compilers), tally);
  const { drift, oldTreeRemoved } = await updateGenerated(
    outDir,
    parts,
    { write: !options.check },
    services && ((path) => (services.isKept(path) ? 'taken' : undefined)),
  );
  await Promise.all([oldTreeRemoved, services?.save({ written: !options.check }).then(() => cache?.sweep())]);
  return { drift, summary: summarize(platform, tally, drift) };
}

/** What a generate wrote, for its summary line. */
interface Tally {
  files: number;
  alerts: number;
  records: number;
}

/** The parts, counted into `tally` as they pass; a part taken from generated/ unread brings its counts. */
function* tallied(parts: Iterable<FileSet>, tally: Tally): Generator<FileSet> {
  for (const part of parts) {
    const { alerts, records } = part instanceof KeptFiles ? part.rules : countRules(part);
    tally.files += part.size;
    tally.alerts += alerts;
    tally.records += records;
    yield part;
  }
}

/**
 * How the caller knows a file is in outDir as it is: `taken` from there unread (cache/kept-files.ts),
 * or its text is the very text `written` there last (generate --watch).
 */
type Known = 'taken' | 'written' | undefined;

/**
 * Compares each part's files with outDir as they are compiled, and (with `write`) puts them in
 * the new tree that replaces it, dropping each part once done: no run holds every file's text.
 * `unchanged` says which files the caller knows outDir holds as they are (linked unread); it
 * gets the file's text as a function, since a file taken from generated/ is read only when asked.
 */
function updateGenerated(
  outDir: string,
  parts: Iterable<FileSet>,
  options: { write: boolean },
  unchanged?: (path: string, content: () => string) => Known,
): Promise<Updated> {
  return updateTree(outDir, options, (tree) => {
    for (const part of parts)
      for (const path of part.keys()) {
        const content = (): string => part.get(path)!;
        const known = unchanged?.(path, content);
        if (known === 'taken') tree.keep(path);
        else if (known === 'written') tree.keep(path, content);
        else tree.put(path, content());
      }
  });
}

/** `3 files`, `1 file`. */
const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** `214 files (279 alerts, 145 recording rules, 12 SLOs of 9 services); 3 changed, 1 added, 0 removed, 210 unchanged` */
export function summarize(platform: Platform, tally: Tally, drift: Drift): string {
  const slos = platform.services.reduce((sum, service) => sum + (service.slos?.length ?? 0), 0);
  const changed = drift.stale.length + drift.missing.length;
  const counts = `${count(tally.files, 'file')} (${count(tally.alerts, 'alert')}, ${count(tally.records, 'recording rule')}, ${count(slos, 'SLO')} of ${count(platform.services.length, 'service')})`;
  return `${counts}; ${drift.stale.length} changed, ${drift.missing.length} added, ${drift.extra.length} removed, ${tally.files - changed} unchanged`;
}

/**
 * Calls `changed` with the path (relative to `root`, POSIX) of every entry created, changed or
 * removed under `dir`. Each folder is watched on its own, not each file: editors save by
 * writing a new file and renaming it over the old one, which a watch on the old file misses.
 */
function watchTree(root: string, dir: string, changed: (file: string) => void): { close(): void } {
  const watchers = new Map<string, FSWatcher>();
  const add = (folder: string): void => {
    if (watchers.has(folder)) return;
    try {
      const watcher = watchFiles(path.join(root, folder), (_event, name) => {
        if (!name) return;
        const file = path.posix.join(folder, name);
        if (statSync(path.join(root, file), { throwIfNoEntry: false })?.isDirectory()) addTree(file);
        changed(file);
      });
      watcher.on('error', () => watchers.delete(folder)); // the folder was removed
      watchers.set(folder, watcher);
    } catch {
      // Removed before it could be watched: its parent reports it.
    }
  };
  const addTree = (folder: string): void => {
    add(folder);
    for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true }))
      if (entry.isDirectory()) addTree(path.posix.join(folder, entry.name));
  };
  addTree(dir);
  return {
    close: () => {
      for (const watcher of watchers.values()) watcher.close();
    },
  };
}

/** How long a burst of file events (an editor's save is several) is let settle before rebuilding. */
const settleMs = 15;

/**
 * `generate --watch`: generate, then again on every change under definitions/ until SIGINT or
 * SIGTERM (or `stop`). Only the changed definitions files are imported again (load/session.ts),
 * and only the services whose objects changed are compiled again (compile/index.ts
 * reusingCompiler): an edit of a service file recompiles that service; of the config, a policy,
 * the resources or a file every service imports, every service; the files of the whole platform
 * are compiled each time. generated/ is replaced atomically each time, unchanged files linked
 * from the tree before. Invalid definitions are reported and leave generated/ as it was.
 */
export async function watchGenerate(root: string, io: Pick<CommandContext, 'out' | 'err'>, stop?: AbortSignal): Promise<void> {
  const session = new DefinitionSession(root);
  let compiled: ReadonlyMap<string, CompiledService> = new Map();
  /** The files of the last tree written, as written. */
  let written: ReadonlyMap<string, string> = new Map();
  const rebuild = async (changed?: string[]): Promise<void> => {
    const started = performance.now();
    try {
      const platform = await session.load(changed);
      const now = new Map<string, CompiledService>();
      const writing = new Map<string, string>();
      const parts = compileParts(platform, { service: reusingCompiler(compiled, now) });
      // A file whose text is the text the last tree was written with is linked from it unread.
      const { drift, oldTreeRemoved } = await updateGenerated(generatedDir(root), parts, { write: true }, (path, content) => {
        const text = content();
        writing.set(path, text);
        return written.get(path) === text ? 'written' : undefined;
      });
      const recompiled = [...now.values()].filter((service) => compiled.get(service.service.name) !== service).length;
      compiled = now;
      written = writing;
      const changedFiles = drift.stale.length + drift.missing.length;
      const removed = drift.extra.length;
      io.out(
        `generated/ written: ${count(changedFiles, 'file')} changed${removed > 0 ? `, ${removed} removed` : ''}, ${recompiled} of ${count(now.size, 'service')} compiled, in ${Math.round(performance.now() - started)} ms\n`,
      );
      await oldTreeRemoved; // the new tree is in place: the old one goes after the report
    } catch (error) {
      if (error instanceof TreeChangedError) io.err(`${error.message}\n`);
      else if (error instanceof DefinitionErrors) io.err(`${error.message}\ngenerated/ left as it was\n`);
      else throw error;
    }
  };
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  // Watching starts before the first build, so no change is missed; one rebuild at a time, in order.
  let running = Promise.resolve();
  const next = (changed?: string[]): void => {
    running = running.then(() => rebuild(changed)).catch((error: unknown) => io.err(`${error instanceof Error ? error.message : error}\n`));
  };
  const watcher = watchTree(root, 'definitions', (file) => {
    if (!isDefinitionInput(file)) return;
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = [...pending];
      pending.clear();
      next(changed);
    }, settleMs);
  });
  next();
  await new Promise<void>((resolve) => {
    const end = (): void => {
      process.off('SIGINT', end);
      process.off('SIGTERM', end);
      resolve();
    };
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
    stop?.addEventListener('abort', end, { once: true });
  });
  watcher.close();
  clearTimeout(timer);
  await running;
}

export const generateCommand = defineCommand({
  name: 'generate',
  summary: 'render generated/ from definitions/',
  synopsis: '[--check | --watch] [--cache-dir DIR | --no-cache]',
  details:
    "Compiles the definitions and replaces generated/ in one rename, linking the files whose bytes did not change; when none changed, generated/ is left as it is.\n\nA service whose definition data is the same as when its files were compiled before, and whose files are in generated/ with exactly the bytes compiled then, is not compiled again: the cache keeps each file's SHA-256 under the fingerprint of the data and monforge's version, and each generated file's stat, which stands for its bytes while it is unchanged. A service holding a function of your own (a PromQL expression's test series) is always compiled (docs/guides/scaling.md).",
  options: {
    check: {
      type: 'boolean',
      default: false,
      description: 'write nothing; exit 1 and list stale, missing and extra files when generated/ is out of date',
    },
    watch: {
      type: 'boolean',
      default: false,
      description: 'generate again on every change under definitions/, importing and compiling only what changed, until interrupted',
    },
    ...cacheOptions('compile every service'),
  },
  async run({ values }, { root, cwd, out, err }) {
    const cacheDir = cacheDirOf(values, cwd);
    if (values.watch) {
      if (values.check) throw new UsageError('--check and --watch exclude each other');
      await watchGenerate(root, { out, err });
      return 0;
    }
    let generated: Generated;
    try {
      generated = await generate(root, { check: values.check ?? false, ...(cacheDir !== undefined && { cacheDir }) });
    } catch (error) {
      if (!(error instanceof TreeChangedError)) throw error;
      err(`${error.message}\n`);
      return 1;
    }
    const { drift, summary } = generated;
    if (values.check && hasDrift(drift)) {
      err(`${formatDrift(drift)}\n`);
      return 1;
    }
    out(values.check ? `generated/ is up to date: ${summary.slice(0, summary.indexOf(';'))}\n` : `generated/ written: ${summary}\n`);
    return 0;
  },
});
