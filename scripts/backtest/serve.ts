// The example history end to end: simulated, written as OpenMetrics and backfilled with promtool
// (scripts/history), the blocks checked with `promtool tsdb list`, the incidents file written
// next to them, and a real prometheus serving the result.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatTime } from '../../src/backtest/time.ts';
import type { Incident } from '../../src/backtest/incidents.ts';
import type { Platform } from '../../src/model/platform.ts';
import { backfillOpenMetrics, type HistoryServer, startPrometheus, verifyBlocks } from '../history/index.ts';
import { exampleHistory, type HistoryOptions } from './example-history.ts';

export interface ServedHistory {
  readonly server: HistoryServer;
  readonly incidents: readonly Incident[];
  /** `<dir>/incidents.json`, for `--incidents`. */
  readonly incidentsFile: string;
  readonly samples: number;
  /** Unix seconds of the first and last sample. */
  readonly start: number;
  readonly end: number;
}

/** Writes the incidents as the backtest reads them: RFC 3339 times. */
export async function writeIncidents(file: string, incidents: readonly Incident[]): Promise<void> {
  const json = incidents.map((each) => ({ ...each, start: formatTime(each.start), end: formatTime(each.end) }));
  await writeFile(file, `${JSON.stringify({ incidents: json }, null, 2)}\n`);
}

export async function serveExampleHistory(
  platform: Platform,
  dir: string,
  options: HistoryOptions & { readonly onStep?: (step: string) => void },
): Promise<ServedHistory> {
  await mkdir(dir, { recursive: true });
  options.onStep?.(`simulating ${options.days} days of ${options.services?.join(', ') ?? 'every service'}`);
  const { history, incidents } = await exampleHistory(platform, options);
  const dataDir = path.join(dir, 'data');
  options.onStep?.('writing OpenMetrics and backfilling with promtool');
  const samples = await backfillOpenMetrics(history, dataDir, { workDir: path.join(dir, 'work') });
  await verifyBlocks(dataDir, { samples, start: history.start, end: history.end });
  const incidentsFile = path.join(dir, 'incidents.json');
  await writeIncidents(incidentsFile, incidents);
  options.onStep?.(`${samples} samples in blocks; starting prometheus`);
  const server = await startPrometheus({ dataDir, workDir: path.join(dir, 'server') });
  return { server, incidents, incidentsFile, samples, start: history.start, end: history.end };
}
