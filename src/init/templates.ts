import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monforge package's root: src/ and the built dist/ sit one level below it. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** What `monforge init` scaffolds: every file under this folder, placeholders rendered. */
export const initTemplates = path.join(packageRoot, 'templates', 'init');

/** The package.json of this monforge install. */
const manifest = async (): Promise<{ version: string; dependencies: Record<string, string> }> =>
  JSON.parse(await readFile(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };

/** The version of this monforge install, for the dependency init writes. */
export async function monforgeVersion(): Promise<string> {
  return (await manifest()).version;
}

/** The foundation SDK as this monforge install depends on it. */
export async function sdkDependency(): Promise<string> {
  return (await manifest()).dependencies['@grafana/grafana-foundation-sdk']!;
}

/** Every file under templates/init/ (relative POSIX paths, sorted), with its text. */
export async function templateFiles(): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(initTemplates, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(initTemplates, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
  return Promise.all(files.map(async (file) => ({ path: file, text: await readFile(path.join(initTemplates, file), 'utf8') })));
}

/** The values of the `{{name}}` placeholders templates may use. */
export interface TemplateValues {
  /** e.g. `0.1.0`. */
  readonly monforgeVersion: string;
  /** The spec init puts in package.json, e.g. `^0.1.0`. */
  readonly monforgeDependency: string;
  /**
   * The foundation SDK's spec, as monforge depends on it: dashboards of one's own (`defineDashboard`,
   * imported ones) import its builders, and a package manager that does not hoist monforge's
   * dependencies (pnpm) finds it only when the project names it.
   */
  readonly sdkDependency: string;
  /** The project folder relative to the repository root, `.` when they are the same (CI working directory). */
  readonly projectDir: string;
  /** A package name derived from the project folder. */
  readonly projectName: string;
}

// `{{name}}` without spaces. GitHub's `${{ … }}` and Go templates' `{{ $value }}` pass through.
const placeholder = /(?<!\$)\{\{(\w+)\}\}/g;

/** Renders the placeholders of one template; an unknown name is a defect of the template. */
export function render(file: string, text: string, values: TemplateValues): string {
  return text.replace(placeholder, (_, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`templates/init/${file}: unknown placeholder {{${name}}}`);
    return values[name as keyof TemplateValues];
  });
}

/** Where a template lands: npm never packs `.gitignore`, so the template is named `gitignore`. */
export function destinationName(file: string): string {
  return file.replace(/(^|\/)gitignore$/, '$1.gitignore');
}

/** CI configuration belongs at the repository root, even when the project is a sub-folder of it. */
export function isRepositoryLevel(file: string): boolean {
  return file === '.gitlab-ci.yml' || file.startsWith('.github/') || file.startsWith('.gitlab/');
}
