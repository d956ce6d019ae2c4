import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compile } from '../../src/compile/index.ts';
import { loadPlatform } from '../../src/load/load.ts';
import type { Targets } from '../../src/model/targets.ts';
import type { FileSet } from '../../src/output/fileset.ts';
import { writeFileSet } from '../../src/output/write.ts';
import { fixtureRoot } from '../helpers/index.ts';

/** A project directory holding only generated/ (what `apply` reads), compiled from the test platform. */
export async function generatedProject(targets?: Targets): Promise<{
  root: string;
  files: FileSet;
  /** Replaces generated/ with `files`. */
  write: (files: FileSet) => Promise<void>;
  cleanup: () => Promise<void>;
}> {
  const platform = await loadPlatform(fixtureRoot('platform'));
  const files = compile(targets ? { ...platform, config: { ...platform.config, targets } } : platform);
  const root = await mkdtemp(path.join(os.tmpdir(), 'monforge-apply-'));
  const write = (set: FileSet) => writeFileSet(path.join(root, 'generated'), set);
  await write(files);
  return { root, files, write, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** `files` with `path`'s content edited (a missing replacement is a test bug). */
export function edited(files: FileSet, file: string, from: string | RegExp, to: string): FileSet {
  const content = files.get(file)!;
  const next = content.replace(from, to);
  if (next === content) throw new Error(`${file} has no ${String(from)}`);
  return new Map([...files, [file, next]]);
}
