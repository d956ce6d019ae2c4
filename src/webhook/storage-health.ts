import path from 'node:path';
import type { AppendLogEvents } from './append-log.ts';
import type { Logger } from './log.ts';
import type { WebhookMetrics } from './metrics.ts';

/**
 * Whether the files of the state directory can be written. Every failed attempt is counted;
 * the log says once when writing stops working and once when it works again.
 */
export function storageHealth(metrics: WebhookMetrics, log: Logger) {
  const failing = new Set<string>();
  return {
    failing: (): boolean => failing.size > 0,
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
    }),
  };
}
