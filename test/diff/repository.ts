import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { fixtureRoot, repoRoot } from '../helpers/index.ts';

const exec = promisify(execFile);

/** One commit of the fixture repository: a change to the definitions, then `generate`. */
export interface FixtureCase {
  /** File name of its golden files: `01-threshold`. */
  readonly name: string;
  readonly message: string;
  readonly edit: (definitions: Definitions) => Promise<void>;
}

/** Edits of the definition files that fail loudly when the text to change is not there. */
export class Definitions {
  constructor(private readonly dir: string) {}

  async replace(file: string, from: string, to: string): Promise<void> {
    const text = await readFile(path.join(this.dir, file), 'utf8');
    if (text.split(from).length !== 2) throw new Error(`${file}: expected exactly one ${JSON.stringify(from)}`);
    await writeFile(path.join(this.dir, file), text.replace(from, to));
  }

  /** Moves the text from `start` up to `end` (exclusive) to just before `before`. */
  async move(file: string, start: string, end: string, before: string): Promise<void> {
    const text = await readFile(path.join(this.dir, file), 'utf8');
    const from = text.indexOf(start);
    const to = text.indexOf(end, from + 1);
    if (from < 0 || to < 0 || text.indexOf(before) < 0) throw new Error(`${file}: cannot move ${JSON.stringify(start)}`);
    const block = text.slice(from, to);
    const rest = text.slice(0, from) + text.slice(to);
    const at = rest.indexOf(before);
    await writeFile(path.join(this.dir, file), rest.slice(0, at) + block + rest.slice(at));
  }
}

export interface FixtureRepository {
  readonly root: string;
  /** Commit of each case, in order, after the initial one. */
  readonly commits: ReadonlyMap<string, string>;
  readonly cleanup: () => Promise<void>;
}

async function monforge(root: string, ...args: string[]): Promise<void> {
  await exec(process.execPath, [path.join(repoRoot, 'bin/monforge.js'), ...args], { cwd: root });
}

/**
 * A git repository built from test/fixtures/diff: the platform and its generated/ committed,
 * then one commit per case. It sits at the fixtures' depth, so the definitions' imports of
 * src/ resolve.
 */
export async function buildRepository(cases: readonly FixtureCase[]): Promise<FixtureRepository> {
  await mkdir(path.join(repoRoot, 'test/.tmp'), { recursive: true });
  const root = await mkdtemp(path.join(repoRoot, 'test/.tmp/diff-repo-'));
  const git = async (...args: string[]): Promise<string> => (await exec('git', args, { cwd: root })).stdout.trim();
  await git('init', '--quiet', '--initial-branch=main');
  await git('config', 'user.email', 'test@example.com');
  await git('config', 'user.name', 'monforge test');
  await cp(path.join(fixtureRoot('diff'), 'definitions'), path.join(root, 'definitions'), { recursive: true });
  const commit = async (message: string): Promise<string> => {
    await monforge(root, 'generate');
    await git('add', '-A');
    await git('commit', '--quiet', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  await commit('initial platform');
  const commits = new Map<string, string>();
  const definitions = new Definitions(path.join(root, 'definitions'));
  for (const each of cases) {
    await each.edit(definitions);
    commits.set(each.name, await commit(each.message));
  }
  return { root, commits, cleanup: () => rm(root, { recursive: true, force: true }) };
}
