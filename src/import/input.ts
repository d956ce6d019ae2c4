import { open } from 'node:fs/promises';
import path from 'node:path';
import { type InputDocument, parseDocuments } from './document.ts';
import type { Refusal } from './refusal.ts';

/** The most an input file may weigh: the largest real rule files and dashboards are a few MiB. */
export const maxInputBytes = 16 * 1024 * 1024;

/**
 * The documents of the files given to `import`, Kubernetes Lists opened into their items; or
 * the refusals of files that cannot be read or parsed. `root` resolves relative names; messages
 * keep the names as given.
 */
export async function readInputs(
  files: readonly string[],
  root: string,
  limit = maxInputBytes,
): Promise<{ documents: InputDocument[]; refusals: Refusal[] }> {
  const documents: InputDocument[] = [];
  const refusals: Refusal[] = [];
  for (const file of files) {
    const text = await readBounded(path.resolve(root, file), limit).catch((error: Error) => error);
    if (text instanceof Error) {
      refusals.push({ file, object: 'file', reason: text.message });
      continue;
    }
    const parsed = parseDocuments(file, text);
    refusals.push(...parsed.problems.map((problem) => ({ file, line: problem.line, object: 'file', reason: problem.message })));
    documents.push(...parsed.documents.flatMap(openLists));
  }
  return { documents, refusals };
}

/** A `List` (`kubectl get -o yaml`) is its items; anything else is itself. */
function openLists(document: InputDocument): InputDocument[] {
  const value = document.value as { kind?: unknown; items?: unknown } | null;
  const isList = typeof value?.kind === 'string' && /List$/.test(value.kind) && Array.isArray(value.items);
  if (!isList) return [document];
  return (value.items as unknown[]).flatMap((item, index) => (item === null ? [] : openLists(document.child(['items', index]))));
}

/** The text of a file, refused when it is not a regular file, is larger than `limit` or is not UTF-8 text. */
async function readBounded(file: string, limit: number): Promise<string> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'ENOENT' ? 'no such file' : `cannot be read: ${error.message}`);
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('is not a file');
    if (stat.size > limit) throw new Error(`is ${stat.size} bytes, more than the ${limit} an input may have`);
    // Read one byte past the limit: a file that grew since stat is still caught.
    const buffer = Buffer.alloc(Math.min(stat.size, limit) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > limit) throw new Error(`is more than the ${limit} bytes an input may have`);
    const bytes = buffer.subarray(0, bytesRead);
    if (bytes.includes(0)) throw new Error('is not a text file');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new Error('is not UTF-8 text');
    }
  } finally {
    await handle.close();
  }
}
