import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResultCache } from '../../src/cache/result-cache.ts';
import { CompiledFilesCache } from '../../src/cache/compiled-files.ts';
import { compile, compileParts, compileService } from '../../src/compile/index.ts';
import { emittedAlertLabels } from '../../src/compile/prometheus/alert-labels.ts';
import { loadPlatform } from '../../src/load/load.ts';
import type { Platform } from '../../src/model/platform.ts';
import { mergeFileSets, type FileSet } from '../../src/output/fileset.ts';
import { listFilesSync, updateTreeWith } from '../../src/output/tree-update.ts';
import { repoRoot } from '../helpers/index.ts';

// generate and check take a service's files from generated/ when the service's data is what it
// was when those files were compiled and the files are there as compiled: on the example
// platform, the files so taken are the files compiling gives, byte for byte, and anything that
// could make them differ (an edited file, other data, data that is not plain, a damaged entry)
// compiles the service again.

let platform: Platform;
let expected: FileSet;
let work: string;
let outDir: string;
let cacheDir: string;

beforeAll(async () => {
  platform = await loadPlatform(repoRoot);
  expected = compile(platform);
  work = await mkdtemp(path.join(os.tmpdir(), 'monforge-compiled-files-'));
  outDir = path.join(work, 'generated');
});
afterAll(() => rm(work, { recursive: true, force: true }));

beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(work, 'cache-'));
});

const healthFiles = ['prometheus/rules/platform-health.rules.yml', 'prometheus/tests/platform-health.test.yml'];

/**
 * One compile through the cache: its files, the services whose files were taken from generated/,
 * and whether the health score's were. With `write`, as generate: the files written to
 * generated/, then their stamps recorded.
 */
async function compileThrough(
  cache: ResultCache,
  of: Platform = platform,
  write = false,
): Promise<{ files: FileSet; taken: string[]; healthTaken: boolean }> {
  const parts = CompiledFilesCache.open(cache, outDir, of);
  const files = mergeFileSets(...compileParts(of, parts.compilers));
  if (write) await updateTreeWith(outDir, files, { write: true }, (file) => parts.isKept(file));
  await parts.save({ written: write });
  const taken = of.services
    .filter((service) => [...compileService(of.config, service).files.keys()].every((file) => parts.isKept(file)))
    .map((service) => service.name);
  return { files, taken, healthTaken: healthFiles.every((file) => parts.isKept(file)) };
}

/** generate: compile through the cache, write generated/. */
async function generate(cache: ResultCache): Promise<string[]> {
  const { files, taken } = await compileThrough(cache, platform, true);
  expect(files).toEqual(expected);
  return taken;
}

const serviceNames = () => platform.services.map((service) => service.name);
/** The example's one service whose data holds a function (a PromQL signal's test series): it has no fingerprint. */
const unkeyed = 'jobs';

describe('service files from generated/', () => {
  it('takes every keyed service once its files were compiled, written and left as they were', async () => {
    const cache = await ResultCache.open(cacheDir);
    expect(await generate(cache)).toEqual([]);
    expect(await generate(cache)).toEqual(serviceNames().filter((name) => name !== unkeyed));
    // A cache opened afresh (a later run) finds the same entries.
    expect(await generate(await ResultCache.open(cacheDir))).toEqual(serviceNames().filter((name) => name !== unkeyed));
  });

  it('compiles again a service one of whose files was edited, removed, or is missing from generated/', async () => {
    const cache = await ResultCache.open(cacheDir);
    await generate(cache);
    await writeFile(path.join(outDir, 'prometheus/rules/api.rules.yml'), '# edited by hand\n');
    await rm(path.join(outDir, 'prometheus/scrape/cache.yml'));
    const { files, taken } = await compileThrough(cache);
    expect(files).toEqual(expected);
    expect(taken).not.toContain('api');
    expect(taken).not.toContain('cache');
    expect(taken.length).toBe(platform.services.length - 3);
  });

  it('compiles again a service whose data changed, and takes the others', async () => {
    const cache = await ResultCache.open(cacheDir);
    await generate(cache);
    const [first, ...rest] = platform.services;
    const changed: Platform = { ...platform, services: [{ ...first!, tier: first!.tier === 'critical' ? 'low' : 'critical' }, ...rest] };
    const { files, taken } = await compileThrough(cache, changed);
    expect(files).toEqual(compile(changed));
    expect(taken).not.toContain(first!.name);
    expect(taken).toContain(rest.find((service) => service.name !== unkeyed)!.name);
  });

  it("takes the health score's files while what they read of the services is the same, and renders them again when it changes", async () => {
    const cache = await ResultCache.open(cacheDir);
    await generate(cache);
    expect((await compileThrough(cache)).healthTaken).toBe(true);
    const fewer: Platform = { ...platform, services: platform.services.filter((service) => service.name !== 'search') };
    const { files, healthTaken } = await compileThrough(cache, fewer);
    expect(healthTaken).toBe(false);
    expect(files).toEqual(compile(fewer));
    await writeFile(path.join(outDir, healthFiles[1]!), 'tests: []\n');
    expect((await compileThrough(cache)).healthTaken).toBe(false);
  });

  it('compiles every service when the config changed', async () => {
    const cache = await ResultCache.open(cacheDir);
    await generate(cache);
    const changed: Platform = { ...platform, config: { ...platform.config, runbookBaseUrl: 'https://runbooks.example.org/' } };
    const { files, taken } = await compileThrough(cache, changed);
    expect(files).toEqual(compile(changed));
    expect(taken).toEqual([]);
  });

  it('gives the alert labels compiling gives, whether a service was compiled or taken', async () => {
    const cache = await ResultCache.open(cacheDir);
    await generate(cache);
    const services = CompiledFilesCache.open(cache, outDir, platform);
    const outputs = new Map(platform.services.map((service) => [service.name, services.compilers.service!(platform.config, service)]));
    expect(emittedAlertLabels(platform, (service) => outputs.get(service.name)!.alertLabels)).toEqual(emittedAlertLabels(platform));
    expect(services.isKept('prometheus/rules/api.rules.yml')).toBe(true);
  });

  it('compiles again a service whose entry is damaged, or names a file outside generated/', async () => {
    const cache = await ResultCache.open(cacheDir);
    await generate(cache);
    const [build] = await readdir(cacheDir);
    const entries: string[] = [];
    for (const shard of await readdir(path.join(cacheDir, build!)))
      for (const name of await readdir(path.join(cacheDir, build!, shard))) entries.push(path.join(cacheDir, build!, shard, name));
    const texts = await Promise.all(entries.map((file) => readFile(file, 'utf8')));
    // A service's entry, not the stamps of generated/ (which name every file too).
    const entryOf = (file: string): string => entries[texts.findIndex((text) => text.startsWith(`{"files":[["${file}"`))]!;
    const apiEntry = entryOf('prometheus/rules/api.rules.yml');
    const cacheEntry = entryOf('prometheus/rules/cache.rules.yml');
    await writeFile(apiEntry, '{"files": [["prometheus/rules/api.rules.yml"');
    const escaping = JSON.parse(await readFile(cacheEntry, 'utf8')) as { files: [string, string][] };
    escaping.files[0]![0] = '../outside.yml';
    await writeFile(cacheEntry, JSON.stringify(escaping));
    const { files, taken } = await compileThrough(cache);
    expect(files).toEqual(expected);
    expect(taken).not.toContain('api');
    expect(taken).not.toContain('cache');
    expect(taken.length).toBe(platform.services.length - 3);
  });
});

describe('stamps: the hash of a file whose stat is unchanged, without reading it', () => {
  const file = () => path.join(outDir, 'prometheus/rules/api.rules.yml');
  /** A whole second an hour back: a time utimes sets exactly. */
  const anHourAgo = Math.floor(Date.now() / 1000) - 3600;

  /** An edit in place (the same inode) that keeps the file's size, its time set back to `seconds`. */
  async function editUnseen(seconds: number): Promise<void> {
    const text = await readFile(file(), 'utf8');
    await writeFile(file(), text.replace('summary:', 'summarx:'));
    await utimes(file(), seconds, seconds);
  }

  it("trusts a file's stamp as git's index does, and reads the file once its time moved", async () => {
    const cache = await ResultCache.open(cacheDir);
    await generate(cache);
    for (const each of listFilesSync(outDir)) await utimes(path.join(outDir, each), anHourAgo, anHourAgo);
    await generate(cache); // every file older than the racy margin: all stamped
    // The proof that the stamp stands in for reading: an edit that keeps size, time and inode goes unseen.
    await editUnseen(anHourAgo);
    expect((await compileThrough(cache)).taken).toContain('api');
    // Any other write moves the time: the file is read, found edited, and its service compiled again.
    await utimes(file(), anHourAgo + 1, anHourAgo + 1);
    const { files, taken } = await compileThrough(cache);
    expect(taken).not.toContain('api');
    expect(files).toEqual(expected);
  });

  it('stamps no file modified moments before the run: an edit in the same tick of the clock would keep its time', async () => {
    const cache = await ResultCache.open(cacheDir);
    await generate(cache);
    // A second ago, to the second (a time utimes sets exactly, so the edit below restores it).
    const justNow = Math.floor(Date.now() / 1000) - 1;
    for (const each of listFilesSync(outDir)) await utimes(path.join(outDir, each), justNow, justNow);
    await generate(cache); // stamps taken, but every file was modified within the margin
    await editUnseen(justNow);
    const { files, taken } = await compileThrough(cache);
    expect(taken).not.toContain('api');
    expect(files).toEqual(expected);
  });

  it('stamps no file modified after the run began, however long the run took', async () => {
    const cache = await ResultCache.open(cacheDir);
    await generate(cache);
    const halfAMinuteAgo = Math.floor(Date.now() / 1000) - 30;
    for (const each of listFilesSync(outDir)) await utimes(path.join(outDir, each), halfAMinuteAgo, halfAMinuteAgo);
    // A run that began a minute ago: every file was modified while it ran, long before it saves.
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now() - 60_000);
    const parts = CompiledFilesCache.open(cache, outDir, platform);
    clock.mockRestore();
    expect(mergeFileSets(...compileParts(platform, parts.compilers))).toEqual(expected);
    await parts.save({ written: true });
    await editUnseen(halfAMinuteAgo);
    const { files, taken } = await compileThrough(cache);
    expect(taken).not.toContain('api');
    expect(files).toEqual(expected);
  });
});
