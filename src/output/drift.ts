// `monforge generate --check`: CI fails when someone edited generated/ by hand or forgot
// to regenerate after changing definitions.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertSafePaths, compareBytes, type FileSet } from './fileset.ts';

export type Drift = { stale: string[]; missing: string[]; extra: string[] };

export async function checkDrift(outDir: string, files: FileSet): Promise<Drift> {
  assertSafePaths(files); // a `..` path would compare files outside outDir
  const onDisk = new Set(await listFiles(outDir));
  const drift: Drift = { stale: [], missing: [], extra: [] };
  for (const [path, content] of files) {
    if (!onDisk.has(path)) drift.missing.push(path);
    // Bytes, not decoded text: invalid UTF-8 on disk must not compare equal after decoding.
    else if (!Buffer.from(content).equals(await readFile(join(outDir, path)))) drift.stale.push(path);
  }
  drift.extra = [...onDisk].filter((path) => !files.has(path));
  for (const list of Object.values(drift)) list.sort(compareBytes);
  return drift;
}

export function hasDrift(drift: Drift): boolean {
  return drift.stale.length + drift.missing.length + drift.extra.length > 0;
}

export function formatDrift(drift: Drift): string {
  if (!hasDrift(drift)) return '';
  return [
    ...drift.stale.map((path) => `stale: ${path}`),
    ...drift.missing.map((path) => `missing: ${path}`),
    ...drift.extra.map((path) => `extra: ${path}`),
    'run `npx monforge generate` to update generated/',
  ].join('\n');
}

/** Relative POSIX paths of everything under dir that is not a directory; a missing dir has none. */
export async function listFiles(root: string, relative = ''): Promise<string[]> {
  const entries = await readdir(join(root, relative), { withFileTypes: true }).catch(unlessMissing);
  const paths: string[] = [];
  for (const entry of entries) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    paths.push(...(entry.isDirectory() ? await listFiles(root, path) : [path]));
  }
  return paths;
}

function unlessMissing(error: NodeJS.ErrnoException): [] {
  if (error.code !== 'ENOENT') throw error;
  return [];
}
