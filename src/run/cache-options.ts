// `--cache-dir` and `--no-cache`, the same on every command that keeps a cache (generate, check).
import path from 'node:path';
import { defaultCacheDir, ResultCache } from '../cache/result-cache.ts';
import { UsageError, type OptionValues } from './command.ts';

/** The options; `withoutCache` says what the command does with --no-cache. */
export const cacheOptions = (withoutCache: string) =>
  ({
    'cache-dir': {
      type: 'string',
      value: 'DIR',
      description: 'keep the cache there (default node_modules/.cache/monforge; CI restores and saves it)',
    },
    'no-cache': { type: 'boolean', default: false, description: `${withoutCache}; read and write no cache` },
  }) as const;

/** Where the values say the cache is (absolute), `false` for none, undefined for the default. */
export function cacheDirOf(values: OptionValues<ReturnType<typeof cacheOptions>>, cwd: string): string | false | undefined {
  if (values['no-cache'] && values['cache-dir'] !== undefined) throw new UsageError('--cache-dir and --no-cache exclude each other');
  if (values['no-cache']) return false;
  return values['cache-dir'] === undefined ? undefined : path.resolve(cwd, values['cache-dir']);
}

/** The cache of `root` (or of `cacheDir`); none when told so or when its folder cannot be made (a read-only tree): that only costs work. */
export async function openCache(root: string, cacheDir: string | false | undefined): Promise<ResultCache | undefined> {
  if (cacheDir === false) return undefined;
  return ResultCache.open(cacheDir ?? defaultCacheDir(root)).catch(() => undefined);
}
