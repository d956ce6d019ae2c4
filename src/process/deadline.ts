/**
 * A signal that aborts when `ms` have passed or when `parent` (a shutdown signal, if any) aborts.
 *
 * Not `AbortSignal.timeout` / `AbortSignal.any`: they hold their timer and their sources only
 * weakly, so a garbage collection while a request is pending can take the deadline away and
 * the request then waits forever. Here the timer is a plain setTimeout, held by the event loop
 * and by this object, and its callback holds the controller.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private expired = false;
  private readonly onParentAbort = (): void => this.controller.abort();

  constructor(
    ms: number,
    private readonly parent?: AbortSignal,
  ) {
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort();
    }, ms);
    // A listener added to an aborted signal never runs: check first.
    if (parent?.aborted) this.controller.abort();
    else parent?.addEventListener('abort', this.onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the signal aborted, if it did; shutdown wins when both happened. */
  get reason(): 'interrupted' | 'timeout' | undefined {
    if (this.parent?.aborted) return 'interrupted';
    return this.expired ? 'timeout' : undefined;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (or already has). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
