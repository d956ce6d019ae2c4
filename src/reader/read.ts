import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from '../output/drift.ts';
import { runBounded } from '../process/bounded.ts';
import { GeneratedTreeError } from './problems.ts';
import { parseGeneratedTree } from './tree.ts';
import type { GeneratedTree } from './types.ts';

// Where generated trees come from: a directory on disk, or the generated/ folder of a git
// revision. Each read has a deadline and a size limit and fails with one line that says so.

export interface ReadLimits {
  /** For the whole read (every git call, or every file of a directory). */
  readonly timeoutMs: number;
  /** Total bytes of the tree's files. */
  readonly maxBytes: number;
}

export const defaultReadLimits: ReadLimits = { timeoutMs: 60_000, maxBytes: 256 * 1024 * 1024 };

/** A generated tree on disk: the directory `generate` writes (its files relative to it). */
export async function readGeneratedDir(dir: string, label = dir, limits: ReadLimits = defaultReadLimits): Promise<GeneratedTree> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new GeneratedTreeError(label, [`${dir} is not a directory`]);
    const paths = await listFiles(dir);
    let total = 0;
    for (const file of paths) total += (await stat(path.join(dir, file))).size;
    if (total > limits.maxBytes) throw new GeneratedTreeError(label, [tooLarge(total, limits)]);
    const files = new Map<string, string>();
    for (const file of paths) files.set(file, await readFile(path.join(dir, file), { encoding: 'utf8', signal: controller.signal }));
    return parseGeneratedTree(files, label);
  } catch (error) {
    if (controller.signal.aborted) throw new GeneratedTreeError(label, [`reading ${dir} took longer than ${limits.timeoutMs / 1000}s`]);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Text files of a project (paths relative to `root`, such as the definition files a tree
 * names), within the same deadline and size limit; files that do not exist are left out.
 */
export async function readProjectFiles(
  root: string,
  files: readonly string[],
  limits: ReadLimits = defaultReadLimits,
): Promise<Map<string, string>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  const texts = new Map<string, string>();
  let total = 0;
  try {
    for (const file of files) {
      const size = (await stat(path.join(root, file)).catch(() => undefined))?.size;
      if (size === undefined || total + size > limits.maxBytes) continue;
      total += size;
      texts.set(file, await readFile(path.join(root, file), { encoding: 'utf8', signal: controller.signal }));
    }
    return texts;
  } catch (error) {
    if (controller.signal.aborted)
      throw new Error(`reading ${files.length} files under ${root} took longer than ${limits.timeoutMs / 1000}s`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

const tooLarge = (bytes: number, limits: ReadLimits): string =>
  `${(bytes / 1024 / 1024).toFixed(1)} MiB of files, over the ${(limits.maxBytes / 1024 / 1024).toFixed(0)} MiB limit`;

/** A commit of the repository `root` is in: its full id and a label such as `origin/main (1a2b3c4)`. */
export interface Revision {
  readonly commit: string;
  readonly label: string;
}

/** Resolves a revision name to its commit; an unknown name is an error saying so. */
export async function resolveRevision(root: string, name: string, limits: ReadLimits = defaultReadLimits): Promise<Revision> {
  if (name.startsWith('-')) throw new RevisionError(`"${name}" is not a revision`);
  const out = await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`], limits).catch(() => '');
  const commit = out.trim();
  if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new RevisionError(`unknown revision "${name}" in ${root}`);
  return { commit, label: `${name} (${commit.slice(0, 7)})` };
}

/** A revision that does not exist, or options that name none: a usage error. */
export class RevisionError extends Error {
  override name = 'RevisionError';
}

/** The best common ancestor of two revisions, or undefined when they share no history. */
export async function mergeBase(root: string, a: string, b: string, limits: ReadLimits = defaultReadLimits): Promise<string | undefined> {
  const out = await git(root, ['merge-base', '--end-of-options', a, b], limits).catch(() => '');
  return out.trim() || undefined;
}

/** `monitoring/` when `root` is that folder of its repository, `` at the top; undefined outside a repository. */
export async function repositoryPrefix(root: string, limits: ReadLimits = defaultReadLimits): Promise<string | undefined> {
  return git(root, ['rev-parse', '--show-prefix'], limits)
    .then((out) => out.trim())
    .catch(() => undefined);
}

/**
 * The generated tree of a commit: the folder `dir` (relative to `root`) as committed. A
 * commit without that folder gives an empty tree, so a first pull request adopting monforge
 * shows everything as added.
 */
export async function readGeneratedRevision(
  root: string,
  revision: Revision,
  dir = 'generated',
  limits: ReadLimits = defaultReadLimits,
): Promise<GeneratedTree> {
  const deadline = Date.now() + limits.timeoutMs;
  const left = (): ReadLimits => ({ ...limits, timeoutMs: Math.max(1, deadline - Date.now()) });
  const blobs = await revisionBlobs(root, revision, dir, left());
  const total = blobs.reduce((sum, blob) => sum + blob.size, 0);
  if (total > limits.maxBytes) throw new GeneratedTreeError(revision.label, [tooLarge(total, limits)]);
  const contents = await catBlobs(
    root,
    blobs.map((blob) => blob.object),
    total,
    left(),
  );
  return parseGeneratedTree(new Map(blobs.map((blob, index) => [blob.file, contents[index]!])), revision.label);
}

/** A file of a commit's folder: its path relative to the folder, its blob id and size. */
export interface RevisionBlob {
  readonly file: string;
  readonly object: string;
  readonly size: number;
}

/** The files of the folder `dir` (relative to `root`) as committed at `revision`, without their contents. */
export async function revisionBlobs(
  root: string,
  revision: Revision,
  dir = 'generated',
  limits: ReadLimits = defaultReadLimits,
): Promise<RevisionBlob[]> {
  const deadline = Date.now() + limits.timeoutMs;
  const left = (): ReadLimits => ({ ...limits, timeoutMs: Math.max(1, deadline - Date.now()) });
  const prefix = (await repositoryPrefix(root, left())) ?? '';
  const folder = `${prefix}${dir.split(path.sep).join('/')}`.replace(/\/+$/, '');
  const listing = await git(root, ['ls-tree', '-r', '-l', '-z', '--full-tree', revision.commit, '--', folder], left());
  return (
    listing
      .split('\0')
      .filter(Boolean)
      .map((entry) => {
        const [meta = '', file = ''] = entry.split('\t');
        const [mode, type, object, size] = meta.split(/\s+/);
        return { mode, type, object: object!, size: Number(size), file: file.slice(folder.length + 1) };
      })
      // Symlinks and submodules are not generated output.
      .filter((entry) => entry.type === 'blob' && entry.mode !== '120000')
      .map(({ file, object, size }) => ({ file, object, size }))
  );
}

/** The text of one file of a commit (a path relative to `root`), or undefined when it has none. */
export async function readRevisionFile(
  root: string,
  revision: Revision,
  file: string,
  limits: ReadLimits = defaultReadLimits,
): Promise<string | undefined> {
  const prefix = (await repositoryPrefix(root, limits)) ?? '';
  return git(root, ['cat-file', 'blob', `${revision.commit}:${prefix}${file}`], limits).catch(() => undefined);
}

/** Many blobs through one `git cat-file --batch`: `<id> blob <size>\n<content>\n` each. */
async function catBlobs(root: string, objects: readonly string[], total: number, limits: ReadLimits): Promise<string[]> {
  if (objects.length === 0) return [];
  const out = await runBounded('git', ['cat-file', '--batch'], {
    cwd: root,
    input: `${objects.join('\n')}\n`,
    timeoutMs: limits.timeoutMs,
    // The contents plus one header line per blob.
    maxBytes: total + objects.length * 128,
    what: 'git cat-file',
  });
  const contents: string[] = [];
  let at = 0;
  for (const object of objects) {
    const newline = out.indexOf(0x0a, at);
    const header = out.subarray(at, newline).toString('utf8');
    const [id, type, size] = header.split(' ');
    if (id !== object || type !== 'blob') throw new Error(`git cat-file: unexpected answer "${header}" for ${object}`);
    const end = newline + 1 + Number(size);
    contents.push(out.subarray(newline + 1, end).toString('utf8'));
    at = end + 1;
  }
  return contents;
}

function git(root: string, args: readonly string[], limits: ReadLimits): Promise<string> {
  return runBounded('git', args, { cwd: root, timeoutMs: limits.timeoutMs, maxBytes: 16 * 1024 * 1024, what: `git ${args[0]}` }).then(
    (out) => out.toString('utf8'),
  );
}
