export type Outcome = 'success' | 'failure' | 'timeout' | 'refused' | 'dry-run' | 'interrupted';

export interface ActionResult {
  readonly outcome: Outcome;
  /** Why it failed, or what a dry run or log action would say. */
  readonly detail?: string;
  /** Tails of the program's output, or of the HTTP response body as stdout. */
  readonly stdout?: string;
  readonly stderr?: string;
}

/** How much of a program's output, or of an HTTP answer, the audit keeps. */
export const tailBytes = 2048;

/** Keeps the last `tailBytes` of a stream's output. */
export class Tail {
  private chunks: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0]!.length >= tailBytes) this.size -= this.chunks.shift()!.length;
  }

  toString(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - tailBytes)).toString('utf8');
  }
}
