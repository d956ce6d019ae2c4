// monforge as a user's project has it: built (`npm run build`, once per benchmark) and laid out
// in the project's node_modules/monforge as npm installs the package (its bin, dist/, templates
// and manifest), its dependencies those of this checkout. The bin then runs the JavaScript of
// dist/, and the definitions import 'monforge' from there, as in a user's project.
import { execFile } from 'node:child_process';
import { cp, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const repo = path.resolve(import.meta.dirname, '../..');
let built: Promise<unknown> | undefined;

/** Installs the built package under `root`; returns the path of its bin. */
export async function installPackage(root: string): Promise<string> {
  built ??= promisify(execFile)('npm', ['run', 'build'], { cwd: repo, timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 });
  await built;
  const installed = path.join(root, 'node_modules', 'monforge');
  await mkdir(installed, { recursive: true });
  for (const entry of ['bin', 'dist', 'templates', 'package.json'])
    await cp(path.join(repo, entry), path.join(installed, entry), { recursive: true });
  await symlink(path.join(repo, 'node_modules'), path.join(installed, 'node_modules'));
  return path.join(installed, 'bin', 'monforge.js');
}
