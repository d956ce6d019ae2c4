import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Platform } from '../model/platform.ts';
import { definitionFiles, importDefinitionFile, mergeImports, type ImportedFile } from './collect.ts';
import { assemblePlatform } from './load.ts';
import { LoadMemo } from './memo.ts';

/**
 * The definitions of a project loaded once, then again as files change (`generate --watch`):
 * a changed or added file that no other definitions file imports is imported again alone, and
 * a removed one dropped; any other change (a shared file, imports this cannot follow) imports
 * every file afresh. Either way the Platform is assembled and validated whole, as `loadPlatform` does,
 * with what was worked out for the objects of files not imported again kept (memo.ts).
 */
export class DefinitionSession {
  private files: string[] = [];
  private readonly imported = new Map<string, ImportedFile>();
  /** The project files each definitions file imports; undefined while some import cannot be followed. */
  private readonly imports = new Map<string, ReadonlySet<string> | undefined>();
  private reloads = 0;
  /** What was worked out for the definitions that stay the same objects from load to load. */
  private readonly memo = new LoadMemo();

  constructor(
    readonly root: string,
    readonly dir = 'definitions',
  ) {}

  /** The Platform now; `changed` (paths relative to the root) limits what is imported again. Throws DefinitionErrors. */
  async load(changed?: readonly string[]): Promise<Platform> {
    const files = await definitionFiles(this.root, this.dir);
    const again = this.toImport(files, changed);
    this.files = files;
    const reload = this.imported.size === 0 ? undefined : ++this.reloads;
    for (const file of [...this.imported.keys()]) {
      if (files.includes(file)) continue;
      this.imported.delete(file);
      this.imports.delete(file);
    }
    for (const file of again) {
      this.imported.set(file, await importDefinitionFile(this.root, file, reload));
      this.imports.set(file, await projectImports(this.root, file));
    }
    const merged = mergeImports(
      this.root,
      files.map((file) => this.imported.get(file)!),
    );
    return assemblePlatform(this.root, this.dir, files, merged, this.memo);
  }

  /**
   * The files to import: all of them, unless every changed file is a definitions file (changed,
   * added or removed) that no other definitions file imports; then the changed and added ones.
   */
  private toImport(files: readonly string[], changed: readonly string[] | undefined): readonly string[] {
    if (changed === undefined) return files;
    const inputs = changed.filter(isDefinitionInput);
    const definitions = new Set([...files, ...this.files]);
    // A data file (events.json) is read again by every assembly; a module that is no definitions file may be imported by any.
    if (inputs.some((file) => !definitions.has(file) && !file.endsWith('.json'))) return files;
    const code = inputs.filter((file) => definitions.has(file));
    // Another file that imports one of them (or may: its imports are not known) is stale, or fails now that it is gone.
    const shared = code.some((file) => files.some((other) => other !== file && (this.imports.get(other)?.has(file) ?? true)));
    return shared ? files : code.filter((file) => files.includes(file));
  }
}

/** Files that can change what the definitions say: modules and data files, not an editor's swap or backup files. */
export const isDefinitionInput = (file: string): boolean => /\.([mc]?[jt]sx?|json)$/.test(file);

/** `from '…'`, `import '…'`, `import('…')`, `require('…')`: the module specifiers of a file. */
const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;

/**
 * The definitions files `source` imports, relative to the root; undefined when it imports a
 * module this cannot place (a path alias, a computed specifier), so that every change reloads all.
 */
async function projectImports(root: string, source: string): Promise<ReadonlySet<string> | undefined> {
  const text = await readFile(path.join(root, source), 'utf8').catch(() => '');
  const found = new Set<string>();
  for (const [, , name] of text.matchAll(specifier)) {
    if (name === undefined || name.startsWith('node:') || name === 'monforge' || name.startsWith('monforge/')) continue;
    if (!name.startsWith('.')) return undefined;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(source), name));
    // TypeScript's spellings of one file: `./a.ts`, `./a.js`, `./a`, `./a/index.ts`.
    for (const candidate of [
      target,
      target.replace(/\.m?js$/, '.ts'),
      target.replace(/\.mjs$/, '.mts'),
      `${target}.ts`,
      `${target}/index.ts`,
    ])
      found.add(candidate);
  }
  if (/\bimport\s*\(\s*[^'"\s]/.test(text)) return undefined;
  return found;
}
