// Test helpers: build and snapshot real directory trees in a fresh temp dir.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';

/** Call inside a test: the directory is removed when the test ends. */
export async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'monforge-output-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function plant(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

/** Every entry under root, directories marked with a trailing `/`; latin1 keeps file contents byte-exact. */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name).slice(root.length + 1);
    tree[entry.isDirectory() ? `${path}/` : path] = entry.isDirectory() ? '' : (await readFile(join(root, path))).toString('latin1');
  }
  return tree;
}
