// The boundary between the pure compilers and the imperative shell: compilers return
// FileSets, and only this folder turns them into files on disk.

/** Relative POSIX path → file content. */
export type FileSet = ReadonlyMap<string, string>;

/** Combines the compilers' outputs; two compilers claiming one path is a bug, never a silent overwrite. */
export function mergeFileSets(...sets: FileSet[]): FileSet {
  const merged = new Map<string, string>();
  for (const set of sets) {
    for (const [path, content] of set) {
      if (merged.has(path)) throw new Error(`two outputs produce the same file: ${path}`);
      merged.set(path, content);
    }
  }
  return merged;
}

/** UTF-8 byte order, so that listings do not depend on locale or on UTF-16 quirks. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function sortedPaths(set: FileSet): string[] {
  return [...set.keys()].sort(compareBytes);
}

/**
 * Throws unless every path stays inside the output directory on every OS: relative,
 * `/`-separated, no empty, `.` or `..` segments, no backslashes (a separator on Windows).
 */
export function assertSafePaths(set: FileSet): void {
  for (const path of set.keys()) assertSafePath(path);
}

/** An empty, `.` or `..` segment. */
const dotSegment = /(?:^|\/)\.{0,2}(?:\/|$)/;

export function assertSafePath(path: string): void {
  const bad = path.includes('\\') || path.includes('\0') || /^[A-Za-z]:/.test(path) || dotSegment.test(path);
  if (bad) throw new Error(`unsafe output path ${JSON.stringify(path)}: must be relative, use "/", and contain no "." or ".." segments`);
}
