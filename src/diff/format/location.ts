import type { Change } from '../types.ts';

/** Where the project sits in its repository, so annotations name files from the repository's top. */
export interface RepositoryPaths {
  /** `monitoring/` when the project root is that folder of the repository; empty at the top. */
  readonly prefix: string;
  /** The generated tree relative to the project root: `generated`. */
  readonly generated: string;
}

/** The definition file of a change (else its generated file) from the repository's top, and the line. */
export function location(change: Change, paths: RepositoryPaths): { path: string; line: number } {
  return { path: `${paths.prefix}${change.source ?? `${paths.generated}/${change.file}`}`, line: change.line ?? 1 };
}
