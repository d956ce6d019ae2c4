import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { monforge, repoRoot } from '../../helpers/index.ts';

/**
 * A fresh `monforge init` project, outside this repository (inside it, 'monforge' would resolve
 * to the repository's own package), whose definitions import 'monforge' as users write it,
 * resolved to this checkout's src/ by a package shim in its node_modules; `files` copied in.
 * Removed by the returned cleanup.
 */
export async function initProject(files: Readonly<Record<string, string>> = {}): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'monforge-slo-import-'));
  const init = await monforge(root, 'init');
  expect(init, init.stderr).toMatchObject({ code: 0 });
  const shim = path.join(root, 'node_modules/monforge');
  await mkdir(shim, { recursive: true });
  await writeFile(
    path.join(shim, 'package.json'),
    `${JSON.stringify({ name: 'monforge', type: 'module', exports: { '.': './index.ts' } })}\n`,
  );
  await writeFile(path.join(shim, 'index.ts'), `export * from ${JSON.stringify(path.join(repoRoot, 'src/index.ts'))};\n`);
  for (const [name, from] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await cp(from, path.join(root, name));
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}
