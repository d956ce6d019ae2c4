// `monforge generate --check`: CI fails when someone edited generated/ by hand or forgot
// to regenerate after changing definitions.
import type { FileSet } from './fileset.ts';
import { listFilesSync, updateTreeWith, type Drift } from './tree-update.ts';

export type { Drift } from './tree-update.ts';

/** How the files under outDir differ from `files`; reads, never writes. */
export function checkDrift(outDir: string, files: FileSet): Promise<Drift> {
  return updateTreeWith(outDir, files, { write: false });
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
export async function listFiles(root: string): Promise<string[]> {
  return listFilesSync(root);
}
