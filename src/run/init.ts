import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { appendSection, mergePackageJson, type Merged } from '../init/merge.ts';
import {
  destinationName,
  isRepositoryLevel,
  monforgeVersion,
  render,
  sdkDependency,
  templateFiles,
  type TemplateValues,
} from '../init/templates.ts';
import { replaceFile } from '../output/write.ts';
import { defineCommand } from './command.ts';

export interface InitOptions {
  /** The project folder to scaffold (created when missing). */
  readonly dir: string;
  /** Overwrite files that exist and differ from the template. */
  readonly force: boolean;
}

type Action = 'created' | 'overwritten' | 'updated' | 'unchanged' | 'skipped';

interface Planned {
  readonly file: string;
  readonly action: Action;
  readonly text: string;
  readonly detail?: string;
}

/** Files init extends rather than skips or overwrites (see merge.ts). */
const mergers: Record<string, (existing: string, template: string) => Merged> = {
  'package.json': mergePackageJson,
  'README.md': appendSection,
  '.gitignore': appendSection,
};

/** What init did, a line a file (paths relative to the caller's directory), or why it did nothing. */
export type InitResult = { readonly ok: true; readonly report: string[] } | { readonly ok: false; readonly error: string };

/**
 * `init`: copies templates/init/ into the project (CI files into the repository root),
 * placeholders rendered. Every file is planned before any is written, so a project
 * init cannot understand (an invalid package.json) is left untouched.
 */
export async function init(options: InitOptions, relativeTo: string): Promise<InitResult> {
  const dir = path.resolve(options.dir);
  const kind = await stat(dir).catch(() => undefined);
  if (kind && !kind.isDirectory()) return { ok: false, error: `${path.relative(relativeTo, dir)} is not a directory` };
  const repository = await repositoryRoot(dir);
  const version = await monforgeVersion();
  const values: TemplateValues = {
    monforgeVersion: version,
    monforgeDependency: `^${version}`,
    sdkDependency: await sdkDependency(),
    projectDir: path.relative(repository, dir).split(path.sep).join('/') || '.',
    projectName: packageName(path.basename(dir)),
  };
  const planned: Planned[] = [];
  for (const template of await templateFiles()) {
    const name = destinationName(template.path);
    const file = path.join(isRepositoryLevel(name) ? repository : dir, name);
    try {
      planned.push(plan(file, await readIfExists(file), render(template.path, template.text, values), options));
    } catch (error) {
      return {
        ok: false,
        error: `${path.relative(relativeTo, file)}: ${error instanceof Error ? error.message : String(error)}; nothing was written`,
      };
    }
  }
  for (const { file, action, text } of planned) if (action !== 'unchanged' && action !== 'skipped') await replaceFile(file, text);
  planned.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const report = planned.map(({ file, action, detail }) => `${action} ${path.relative(relativeTo, file)}${detail ? `: ${detail}` : ''}`);
  const cd = path.relative(relativeTo, dir);
  const shellPath = /^[\w./-]+$/.test(cd) ? cd : `'${cd.replaceAll("'", `'\\''`)}'`;
  report.push(`next: ${cd ? `cd ${shellPath} && ` : ''}npm install && npx monforge generate && npx monforge check`);
  return { ok: true, report };
}

function plan(file: string, existing: string | undefined, text: string, options: InitOptions): Planned {
  if (existing === undefined) return { file, action: 'created', text };
  const merge = mergers[path.basename(file)];
  if (merge) {
    const merged = merge(existing, text);
    return merged.added.length === 0
      ? { file, action: 'unchanged', text: existing }
      : { file, action: 'updated', text: merged.text, detail: `added ${merged.added.join(', ')}` };
  }
  if (existing === text) return { file, action: 'unchanged', text };
  if (options.force) return { file, action: 'overwritten', text };
  return { file, action: 'skipped', text: existing, detail: 'exists and differs (--force overwrites it)' };
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The nearest folder holding `.git` (a directory, or a file in a worktree), else the project itself. */
async function repositoryRoot(dir: string): Promise<string> {
  for (let at = dir; ; at = path.dirname(at)) {
    if (await stat(path.join(at, '.git')).catch(() => undefined)) return at;
    if (path.dirname(at) === at) return dir;
  }
}

/** A valid npm package name from a folder name. */
function packageName(folder: string): string {
  return (
    folder
      .toLowerCase()
      .replace(/[^a-z0-9._~-]+/g, '-')
      .replace(/^[._-]+/, '') || 'monitoring'
  );
}

export const initCommand = defineCommand({
  name: 'init',
  summary: 'scaffold a project: package.json, tsconfig.json, definitions/, a README section and CI files',
  synopsis: '[--dir DIR] [--force]',
  details:
    'Existing files are kept unless --force; package.json, README.md and .gitignore are only added to. CI files (GitHub Actions, GitLab CI) go to the root of the git repository around the project.',
  options: {
    dir: {
      type: 'string',
      default: '.',
      value: 'DIR',
      description: 'the project folder to scaffold, created when missing (a sub-folder of a monorepo)',
    },
    force: { type: 'boolean', default: false, description: 'overwrite files that exist and differ from the template' },
  },
  async run({ values }, { root, cwd, out, err }) {
    const result = await init({ dir: path.resolve(root, values.dir ?? '.'), force: values.force ?? false }, cwd);
    if (!result.ok) {
      err(`${result.error}\n`);
      return 1;
    }
    out(`${result.report.join('\n')}\n`);
    return 0;
  },
});
