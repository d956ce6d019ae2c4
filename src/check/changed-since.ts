import { createHash } from 'node:crypto';
import type { FileSet } from '../output/fileset.ts';
import { revisionBlobs, type Revision } from '../reader/read.ts';

/**
 * The compiled files whose bytes are those committed in generated/ at `revision`: their git blob
 * id (a hash of the bytes) is the one listed there, so nothing is read but the listing.
 */
export async function unchangedSince(root: string, revision: Revision, files: FileSet): Promise<Set<string>> {
  const committed = new Map((await revisionBlobs(root, revision)).map((blob) => [blob.file, blob.object]));
  const unchanged = new Set<string>();
  for (const [file, content] of files) {
    const object = committed.get(file);
    if (object !== undefined && object === blobId(content, object.length === 64 ? 'sha256' : 'sha1')) unchanged.add(file);
  }
  return unchanged;
}

/** What `git hash-object` prints for these bytes. */
export function blobId(content: string, algorithm: 'sha1' | 'sha256'): string {
  const bytes = Buffer.from(content);
  return createHash(algorithm).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
