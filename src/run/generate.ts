import path from 'node:path';
import { compile } from '../compile/index.ts';
import { loadPlatform } from '../load/load.ts';
import { checkDrift, formatDrift, hasDrift } from '../output/drift.ts';
import type { FileSet } from '../output/fileset.ts';
import { writeFileSet } from '../output/write.ts';

export const generatedDir = (root: string): string => path.join(root, 'generated');

/** Loads and compiles the definitions under `root`; throws DefinitionErrors on bad input. */
export async function build(root: string): Promise<FileSet> {
  return compile(await loadPlatform(root));
}

/** `generate`: write generated/ atomically. `generate --check`: report drift instead (empty when none). */
export async function generate(root: string, options: { check: boolean }): Promise<string> {
  const files = await build(root);
  if (options.check) {
    const drift = await checkDrift(generatedDir(root), files);
    return hasDrift(drift) ? formatDrift(drift) : '';
  }
  await writeFileSet(generatedDir(root), files);
  return '';
}
