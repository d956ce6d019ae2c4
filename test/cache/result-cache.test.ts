import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digest, ResultCache } from '../../src/cache/result-cache.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'monforge-cache-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('the result cache', () => {
  it('keys by every part, each length-prefixed', () => {
    expect(digest(['ab', 'c'])).not.toBe(digest(['a', 'bc']));
    expect(digest(['ab', 'c'])).toBe(digest(['ab', Buffer.from('c')]));
  });

  it('finds what it stored, under this build only, and removes the folders of other builds but nothing else', async () => {
    const root = path.join(work, 'builds');
    await mkdir(path.join(root, 'monforge-0.0.1-0123456789ab'), { recursive: true });
    await mkdir(path.join(root, 'notes'), { recursive: true });
    const cache = await ResultCache.open(root);
    await cache.put(digest(['x']), '["a"]');
    expect(await cache.get(digest(['x']))).toBe('["a"]');
    expect(await cache.has(digest(['y']))).toBe(false);
    const folders = await readdir(root);
    expect(folders).toContain('notes');
    expect(folders).not.toContain('monforge-0.0.1-0123456789ab');
    expect(folders.filter((name) => name.startsWith('monforge-'))).toHaveLength(1);
  });

  it('sweeps entries unused for a month, and keeps those this run used', async () => {
    const root = path.join(work, 'sweep');
    const cache = await ResultCache.open(root);
    await cache.put(digest(['used']));
    const [build] = await readdir(root);
    const stale = path.join(root, build!, 'ab', 'ab00');
    await mkdir(path.dirname(stale), { recursive: true });
    await writeFile(stale, '');
    const old = new Date(Date.now() - 40 * 24 * 60 * 60 * 1000);
    await utimes(stale, old, old);
    await cache.sweep();
    expect(await readdir(path.dirname(stale))).toEqual([]);
    expect(await (await ResultCache.open(root)).has(digest(['used']))).toBe(true);
    // At most once a day: a stale entry stays until a day after the last sweep.
    await writeFile(stale, '');
    await utimes(stale, old, old);
    await cache.sweep(Date.now() + 60 * 60 * 1000);
    expect(await readdir(path.dirname(stale))).toEqual(['ab00']);
    await cache.sweep(Date.now() + 25 * 60 * 60 * 1000);
    expect(await readdir(path.dirname(stale))).toEqual([]);
  });

  it('a cache it cannot write costs re-runs, never the check', async () => {
    const root = path.join(work, 'unwritable');
    const cache = await ResultCache.open(root);
    const key = digest(['z']);
    // A file where the entry's folder should be: as a full disk or a read-only mount, writing fails.
    await writeFile(path.join(root, (await readdir(root))[0]!, key.slice(0, 2)), '');
    await expect(cache.put(key)).resolves.toBeUndefined();
    expect(await cache.has(key)).toBe(false);
  });
});
