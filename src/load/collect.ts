import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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
];

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

/**
 * Imports every definitions file and returns the definition objects it exports. An object
 * re-exported by a second file keeps its first source.
 */
export async function collectExports(
  root: string,
  files: readonly string[],
): Promise<{ exported: Exported[]; failures: { source: string; message: string }[] }> {
  const exported: Exported[] = [];
  const failures: { source: string; message: string }[] = [];
  const seen = new Set<unknown>();
  for (const source of files) {
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(path.join(root, source)).href)) as Record<string, unknown>;
    } catch (error) {
      failures.push({ source, message: `cannot be imported: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    for (const [exportName, value] of Object.entries(module)) {
      const kind = (value as { kind?: unknown } | null)?.kind;
      if (typeof value !== 'object' || value === null || !definitionKinds.includes(String(kind))) continue;
      if (seen.has(value)) continue;
      seen.add(value);
      exported.push({ source, exportName, value });
    }
  }
  return { exported, failures };
}

/** The data file a definitions directory may hold next to its code, and the most it may weigh. */
export const eventsFileName = 'events.json';
const maxDataBytes = 1024 * 1024;

/**
 * A JSON data file of the definitions (relative POSIX source, parsed value), undefined when
 * there is none, or the one-line reason it cannot be read.
 */
export async function readDataFile(
  root: string,
  dir: string,
  name: string,
): Promise<{ source: string; value: unknown } | { source: string; error: string } | undefined> {
  const source = `${dir}/${name}`;
  const file = path.join(root, dir, name);
  try {
    const { size } = await stat(file);
    if (size > maxDataBytes) return { source, error: `is ${size} bytes, more than the ${maxDataBytes} a data file may have` };
    const text = await readFile(file, 'utf8');
    try {
      return { source, value: JSON.parse(text) as unknown };
    } catch (error) {
      return { source, error: `is not valid JSON: ${(error as Error).message}` };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { source, error: `cannot be read: ${(error as Error).message}` };
  }
}
