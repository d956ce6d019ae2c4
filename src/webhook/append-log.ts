import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory } from '../output/durable.ts';

export interface AppendLogEvents {
  /** A write or flush failed; `first` when the log worked until then (retries fail with first = false). */
  readonly failed?: (error: Error, first: boolean) => void;
  /** Writes work again; what was appended meanwhile has been written. */
  readonly recovered?: () => void;
  /** One fdatasync, and how long it took. */
  readonly synced?: (seconds: number) => void;
  /** A write or fdatasync has been running for `stallMs` and has not returned yet (once per step). */
  readonly stalled?: () => void;
  /** When `stalled` is called; default 2 s. */
  readonly stallMs?: number;
}

/**
 * Lines appended without a `sync()` are written within this long, together: one write for all
 * the lines of these milliseconds rather than one per tick (each write is a round trip through
 * libuv's thread pool, which costs more CPU than the write itself).
 */
export const lazyWriteMs = 10;

/**
 * A JSONL file written in order. Lines appended go out within `lazyWriteMs`, in one write;
 * `sync()` writes them at once and resolves once every line appended before it is on disk, one
 * fdatasync serving every caller waiting at that moment (group commit).
 *
 * A failed write (ENOSPC, EROFS, EIO) keeps what did not reach the file, rejects the waiting
 * and every new `sync()`, and is retried every `retryMs`; once a retry succeeds the file goes on
 * where it stopped, nothing lost, reordered or torn.
 */
export class AppendLog {
  /** Lines not handed to a write yet. */
  private pending: string[] = [];
  /** What the current write has not written yet, and how many lines it completes. */
  private unwritten: Buffer | undefined;
  private unwrittenLines = 0;
  private appended = 0;
  private written = 0;
  private synced = 0;
  /** The I/O steps, one at a time, in order. */
  private chain: Promise<void> = Promise.resolve();
  /** A sync step that has not started yet: later callers join it. */
  private queuedSync: Promise<void> | undefined;
  private writeScheduled = false;
  private failure: Error | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    private readonly events: AppendLogEvents,
    private readonly retryMs: number,
  ) {}

  static async open(file: string, events: AppendLogEvents = {}, retryMs = 1000): Promise<AppendLog> {
    const handle = await open(file, 'a+', 0o600);
    const log = new AppendLog(handle, events, retryMs);
    try {
      await syncDirectory(path.dirname(file)); // the file's name (just created, or renamed into place) is durable too
      // A last line cut short by a crash: the next record starts on a line of its own.
      const { size } = await handle.stat();
      const last = Buffer.alloc(1);
      if (size > 0 && (await handle.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 0x0a) log.unwritten = Buffer.from('\n');
    } catch (error) {
      await handle.close();
      throw error;
    }
    return log;
  }

  /** Whether writes fail at the moment. */
  get failing(): boolean {
    return this.failure !== undefined;
  }

  append(record: object): void {
    if (this.closed) return; // a run left behind by shutdown's deadline: nothing more reaches the file
    this.pending.push(`${JSON.stringify(record)}\n`);
    this.appended += 1;
    if (this.writeScheduled || this.failure) return;
    this.writeScheduled = true;
    setTimeout(() => {
      this.writeScheduled = false;
      if (!this.closed) this.step(false).catch(() => {}); // reported through `events.failed`
    }, lazyWriteMs);
  }

  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.synced === this.appended) return Promise.resolve();
    this.queuedSync ??= this.step(true);
    return this.queuedSync;
  }

  /** Writes and flushes what it can (one last attempt when writes fail), then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    try {
      await this.step(true, true);
    } catch {
      // already reported
    } finally {
      await this.handle.close();
    }
  }

  /** Queues one I/O step behind the others. Steps fail at once while writes fail, unless `retrying`. */
  private step(sync: boolean, retrying = false): Promise<void> {
    const result = this.chain.then(async () => {
      if (sync) this.queuedSync = undefined; // lines appended from now on need the next sync
      if (this.failure && !retrying) throw this.failure;
      // A disk that stalls (frozen, failing, saturated) holds the step without an error: reported.
      const watchdog = this.events.stalled && setTimeout(this.events.stalled, this.events.stallMs ?? 2000);
      try {
        await this.write();
        if (sync && this.synced < this.written) {
          const covered = this.written;
          const started = performance.now();
          await this.handle.datasync();
          this.synced = covered;
          this.events.synced?.((performance.now() - started) / 1000);
        }
      } catch (error) {
        this.fail(error as Error);
        throw error;
      } finally {
        clearTimeout(watchdog);
      }
    });
    this.chain = result.catch(() => {});
    return result;
  }

  private async write(): Promise<void> {
    for (;;) {
      if (!this.unwritten) {
        if (this.pending.length === 0) return;
        this.unwritten = Buffer.from(this.pending.join(''));
        this.unwrittenLines = this.pending.length;
        this.pending = [];
      }
      // A full disk may take part of a write: the rest is written next time, not again from the start.
      while (this.unwritten.length > 0) {
        const { bytesWritten } = await this.handle.write(this.unwritten);
        this.unwritten = this.unwritten.subarray(bytesWritten);
      }
      this.unwritten = undefined;
      this.written += this.unwrittenLines;
      this.unwrittenLines = 0;
    }
  }

  private fail(error: Error): void {
    const first = this.failure === undefined;
    this.failure = error;
    this.events.failed?.(error, first);
    if (!this.closed) this.retry ??= setTimeout(() => this.recover(), this.retryMs);
  }

  private recover(): void {
    this.retry = undefined;
    this.step(true, true).then(
      () => {
        this.failure = undefined;
        this.events.recovered?.();
      },
      () => {}, // still failing: `fail` scheduled the next attempt
    );
  }
}
