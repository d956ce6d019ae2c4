import { open, type FileHandle } from 'node:fs/promises';

/**
 * A JSONL file written in order, batching the lines appended in one tick into one write.
 * `sync()` resolves once every line appended so far is on disk (one fdatasync for all waiters).
 */
export class AppendLog {
  private buffer: string[] = [];
  private tail: Promise<void> = Promise.resolve();
  private scheduled = false;
  private pendingSync: Promise<void> | undefined;

  private constructor(private readonly handle: FileHandle) {}

  static async open(file: string): Promise<AppendLog> {
    return new AppendLog(await open(file, 'a', 0o600));
  }

  append(record: object): void {
    this.buffer.push(`${JSON.stringify(record)}\n`);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.enqueue(() => this.write());
    });
  }

  sync(): Promise<void> {
    this.pendingSync ??= this.enqueue(async () => {
      this.pendingSync = undefined; // lines appended from now on need the next sync
      await this.write();
      await this.handle.datasync();
    });
    return this.pendingSync;
  }

  async close(): Promise<void> {
    await this.sync();
    await this.handle.close();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.tail = this.tail.then(step);
    return this.tail;
  }

  private async write(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    await this.handle.write(text);
  }
}
