import { open } from 'node:fs/promises';
import path from 'node:path';
import { formatDuration } from '../model/duration.ts';
import type { AppendLogEvents } from './append-log.ts';
import type { Logger } from './log.ts';
import type { WebhookMetrics } from './metrics.ts';

/** How often a stalled state directory is probed. */
const probeEveryMs = 1000;

/**
 * Whether the files of the state directory can be written, and fast enough. A failed write is
 * counted (`storage_errors_total`) until a retry of the log succeeds; a write or fdatasync still
 * running after `stallMs` is counted (`storage_stalls_total`) and marks the directory stalled
 * until a probe (one byte written and fdatasync'ed to `<dir>/write-probe`, every second) takes
 * less than that. The log says once when either starts and once when it ends.
 */
export function storageHealth(metrics: WebhookMetrics, log: Logger, dir: string, stallMs: number) {
  const failing = new Set<string>();
  const stalled = new Set<string>();
  /** Called once when the directory stalls: notifications waiting for the disk are answered then. */
  const onStall = new Set<() => void>();
  let probe: NodeJS.Timeout | undefined;
  let probing = false;
  let stopped = false;

  const probeFile = path.join(dir, 'write-probe');
  const schedule = (): void => {
    if (stopped || probing || probe || stalled.size === 0) return;
    probe = setTimeout(() => {
      probe = undefined;
      probing = true;
      const started = performance.now();
      void writeProbe(probeFile)
        .then(
          () => performance.now() - started <= stallMs,
          () => false, // failing writes are the append logs' to report
        )
        .then((fast) => {
          probing = false;
          if (fast && stalled.size > 0) {
            stalled.clear();
            log('info', 'the state directory is written fast again', { dir });
          }
          schedule();
        });
    }, probeEveryMs);
    probe.unref();
  };

  return {
    failing: (): boolean => failing.size > 0,
    stalled: (): boolean => stalled.size > 0,
    /** Calls `listener` when the directory stalls next; returns the function that removes it. */
    onStall: (listener: () => void): (() => void) => {
      onStall.add(listener);
      return () => onStall.delete(listener);
    },
    /** The events of the append log of `file`. */
    events: (file: string): AppendLogEvents => ({
      failed: (error, first) => {
        metrics.storageErrors.inc({ file: path.basename(file) });
        if (!first) return;
        if (failing.size === 0)
          log('error', 'cannot write the state directory: answering 503 until it can', { file, error: error.message });
        failing.add(file);
      },
      recovered: () => {
        failing.delete(file);
        if (failing.size === 0) log('info', 'the state directory can be written again', { file });
      },
      stallMs,
      stalled: () => {
        metrics.storageStalls.inc({ file: path.basename(file) });
        if (stalled.size === 0) {
          log(
            'error',
            `the state directory is stalled: a write or fdatasync has taken over ${formatDuration(stallMs / 1000)}: not ready until writes are fast again`,
            { file },
          );
          for (const listener of onStall) listener();
          onStall.clear();
        }
        stalled.add(file);
        schedule();
      },
    }),
    /** Stops probing (shutdown). */
    stop: (): void => {
      stopped = true;
      clearTimeout(probe);
    },
  };
}

export type StorageHealth = ReturnType<typeof storageHealth>;

/** One byte written in place and fdatasync'ed: a real write to the directory's file system. */
async function writeProbe(file: string): Promise<void> {
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.write(Buffer.from('\n'), 0, 1, 0);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
