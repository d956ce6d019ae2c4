import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { dataFileInvalid, importFailed, notExported } from '../findings/catalog/definitions.ts';
import type { Said } from '../findings/kind.ts';
import { noteMade, type Made } from '../model/made.ts';
import { formatJsonProblem, parseJson } from './json.ts';

/** The `kind`s of the objects the define* functions make. */
export const definitionKinds = [
  'service',
  'team',
  'config',
  'playbook',
  'routing',
  'policy',
  'resources',
  'ruleGroup',
  'severities',
  'routeTree',
  'dashboard',
];

/** A definitions file that could not be used, or a definition it made but did not export. */
export interface Failure {
  readonly source: string;
  readonly said: Said;
}

/** An object exported by a definitions file, with the file it came from (relative, POSIX). */
export interface Exported {
  readonly source: string;
  readonly exportName: string;
  readonly value: unknown;
}

/** `definitions/**.ts` and `.mts`, sorted so that loading (and every message) is deterministic; empty when the folder is missing. */
export async function definitionFiles(root: string, dir = 'definitions'): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile() && /(?<!\.d)\.m?ts$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** What importing one definitions file gave: the definitions its exports reach and those made meanwhile, or why it failed. */
export type ImportedFile =
  | { readonly source: string; readonly exported: readonly Exported[]; readonly made: readonly Made[] }
  | { readonly source: string; readonly failure: Failure; readonly made: readonly Made[] };

/**
 * Imports one definitions file: the definition objects its exports reach, exported directly or
 * held, at any depth, in exported arrays and plain objects (`fleet[2]`, `byName.api`). `reload`
 * imports it afresh (and the project files it imports, see bin/esm-hooks.js) instead of from
 * the module cache.
 */
export async function importDefinitionFile(root: string, source: string, reload?: number): Promise<ImportedFile> {
  const { result, made } = await noteMade(async (): Promise<{ module: Record<string, unknown> } | { failure: Failure }> => {
    try {
      const url = pathToFileURL(path.join(root, source));
      if (reload !== undefined) url.searchParams.set('monforge-reload', String(reload));
      return { module: (await import(url.href)) as Record<string, unknown> };
    } catch (error) {
      return { failure: { source, said: importFailed(error instanceof Error ? error.message : String(error)) } };
    }
  });
  if ('failure' in result) return { source, failure: result.failure, made };
  return { source, exported: exportedBy(source, result.module), made };
}

/** The definitions a module's exports reach. */
function exportedBy(source: string, module: Record<string, unknown>): Exported[] {
  const exported: Exported[] = [];
  // Sorted as Node sorts a module namespace, whatever loaded the module (vitest does not).
  const exports = Object.entries(module).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [exportName, value] of exports)
    for (const found of definitionsIn(value, exportName, new Set())) exported.push({ source, ...found });
  return exported;
}

/**
 * The definitions of imported files, in file order. An object reached from a second file keeps
 * its first source. A definition made while importing that no export reaches is a failure
 * saying where it was made.
 */
export function mergeImports(root: string, files: readonly ImportedFile[]): { exported: Exported[]; failures: Failure[] } {
  const exported: Exported[] = [];
  const failures: Failure[] = [];
  const seen = new Set<unknown>();
  for (const file of files) {
    if ('failure' in file) failures.push(file.failure);
    else
      for (const item of file.exported) {
        if (seen.has(item.value)) continue;
        seen.add(item.value);
        exported.push(item);
      }
  }
  // A file that failed to import may have reached the rest: its error is the one to fix.
  if (failures.length === 0)
    failures.push(
      ...unreached(
        root,
        files.flatMap((file) => file.made),
        seen,
      ),
    );
  return { exported, failures };
}

/** Imports every definitions file and returns the definitions they reach (see mergeImports). */
export async function collectExports(root: string, files: readonly string[]): Promise<{ exported: Exported[]; failures: Failure[] }> {
  const together = files.length === 0 ? { imported: [] } : await importTogether(root, files);
  if ('imported' in together) return mergeImports(root, together.imported);
  // One by one, so that each failure names its file; what evaluated before the failure is not evaluated again.
  const imported: ImportedFile[] = [{ source: files[0]!, exported: [], made: together.made }];
  for (const source of files) imported.push(await importDefinitionFile(root, source));
  return mergeImports(root, imported);
}

/** Files imported together by one module: enough to keep the hooks' thread busy, few enough that linking stays cheap (one module of a thousand imports links slower than one by one). */
const filesTogether = 32;

/**
 * Every file imported a few dozen at a time, each batch by a module that imports them in file
 * order: Node fetches and links a batch concurrently, where one by one each file would wait its
 * turn on the hooks' thread, and evaluates them in that order, as importing them one by one
 * would. When any fails, the definitions made until then, for importing one by one.
 */
async function importTogether(root: string, files: readonly string[]): Promise<{ imported: ImportedFile[] } | { made: readonly Made[] }> {
  const { result: modules, made } = await noteMade(async () => {
    const imported: Record<string, unknown>[] = [];
    for (let start = 0; start < files.length; start += filesTogether) {
      const urls = files.slice(start, start + filesTogether).map((source) => JSON.stringify(pathToFileURL(path.join(root, source)).href));
      const entry = `${urls.map((url, index) => `import * as m${index} from ${url};`).join('\n')}\nexport default [${urls.map((_, index) => `m${index}`).join(', ')}];`;
      try {
        imported.push(
          ...((await import(`data:text/javascript,${encodeURIComponent(entry)}`)) as { default: Record<string, unknown>[] }).default,
        );
      } catch {
        return undefined; // a file that fails, or a loader without data: URLs (vitest's)
      }
    }
    return imported;
  });
  if (!modules) return { made };
  return {
    imported: files.map((source, index) => ({ source, exported: exportedBy(source, modules[index]!), made: index === 0 ? made : [] })),
  };
}

const isDefinition = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && definitionKinds.includes(String((value as { kind?: unknown }).kind));

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value));

/** `fleet.api`, or `fleet["api-gateway"]` where the key is not an identifier. */
const memberPath = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/** The definitions a value holds (itself, or in arrays and plain objects), each with its path from the export. */
function* definitionsIn(value: unknown, at: string, containers: Set<unknown>): Generator<{ exportName: string; value: unknown }> {
  if (isDefinition(value)) {
    yield { exportName: at, value };
    return;
  }
  if (containers.has(value)) return;
  if (Array.isArray(value)) {
    containers.add(value);
    for (const [index, item] of value.entries()) yield* definitionsIn(item, `${at}[${index}]`, containers);
  } else if (isPlainObject(value)) {
    containers.add(value);
    for (const [key, item] of Object.entries(value)) yield* definitionsIn(item, memberPath(at, key), containers);
  }
}

/** Definitions made while importing that no export reaches, each located at the user's line that made it. */
function unreached(root: string, made: readonly Made[], reached: ReadonlySet<unknown>): Failure[] {
  return made
    .filter((each) => !reached.has(each.value))
    .map((each) => {
      const { kind, name } = each.value as { kind: string; name?: unknown };
      const what = typeof name === 'string' ? `${kind} "${name}"` : `a ${kind}`;
      const at = callerLine(root, each.call.stack ?? '');
      return { source: at?.file ?? 'definitions', said: notExported(what, at?.line) };
    });
}

/** monforge's own code (src/ of a checkout, dist/ of the package): no user's line is there. */
const ownCode = path.resolve(import.meta.dirname, '..');

/** The first frame of a define* call's stack inside the project (relative POSIX file, line). */
function callerLine(root: string, stack: string): { file: string; line: number } | undefined {
  for (const match of stack.matchAll(/(?:file:\/\/)?(\/[^\s():]+):(\d+):\d+\)?$/gm)) {
    const file = match[1]!;
    const relative = path.relative(root, file);
    if (relative.startsWith('..') || relative.split(path.sep).includes('node_modules') || !path.relative(ownCode, file).startsWith('..'))
      continue;
    return { file: relative.split(path.sep).join('/'), line: Number(match[2]) };
  }
  return undefined;
}

/** The data file a definitions directory may hold next to its code, and the most it may weigh. */
export const eventsFileName = 'events.json';
const maxDataBytes = 1024 * 1024;

/**
 * A JSON data file of the definitions (relative POSIX source, parsed value), undefined when
 * there is none, or why it cannot be read.
 */
export async function readDataFile(
  root: string,
  dir: string,
  name: string,
): Promise<{ source: string; value: unknown } | Failure | undefined> {
  const source = `${dir}/${name}`;
  const file = path.join(root, dir, name);
  try {
    const { size } = await stat(file);
    if (size > maxDataBytes)
      return { source, said: dataFileInvalid(`is ${size} bytes, more than the ${maxDataBytes} a data file may have`) };
    const parsed = parseJson(await readFile(file, 'utf8'));
    return 'value' in parsed
      ? { source, value: parsed.value }
      : { source, said: dataFileInvalid(`is not valid JSON: ${formatJsonProblem(parsed.problem)}`) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { source, said: dataFileInvalid(`cannot be read: ${(error as Error).message}`) };
  }
}
