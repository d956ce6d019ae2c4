// A part's files as generated/ holds them, taken by the cache (compiled-files.ts) instead of
// compiled again. Their text is read only when asked for: generate links them into the new
// tree unread and takes their rule counts from the cache, so an up-to-date run reads none of
// the 127 MB a thousand services compile to. Whoever needs the text (check, the Kubernetes
// targets that package dashboards) gets it from disk, as a FileSet.
import { readFileSync } from 'node:fs';
import type { RuleCounts } from '../output/rule-counts.ts';

export class KeptFiles extends Map<string, string> {
  constructor(
    private readonly outDir: string,
    paths: readonly string[],
    /** What the files held when they were compiled. */
    readonly rules: RuleCounts,
  ) {
    // The map holds the paths only; every read of a text goes through `get`.
    super(paths.map((path) => [path, '']));
  }

  override get(path: string): string | undefined {
    return super.has(path) ? readFileSync(`${this.outDir}/${path}`, 'utf8') : undefined;
  }

  override *entries(): MapIterator<[string, string]> {
    for (const path of super.keys()) yield [path, this.get(path)!];
  }

  override [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }

  override *values(): MapIterator<string> {
    for (const [, content] of this.entries()) yield content;
  }

  override forEach(callback: (content: string, path: string, map: Map<string, string>) => void, thisArg?: unknown): void {
    for (const [path, content] of this.entries()) callback.call(thisArg, content, path, this);
  }
}
