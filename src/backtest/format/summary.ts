import type { AlertRow, BacktestReport, SideReport } from '../index.ts';
import { formatSpan } from '../time.ts';

// What every format shows the same way: rows of both sides paired by alert and severity, the
// four incident measures as words, the overall figures.

export interface RowPair {
  readonly name: string;
  readonly severity: string;
  readonly head?: AlertRow;
  readonly base?: AlertRow;
}

/** Head rows in order, then rows only the base has. */
export function pairRows(report: BacktestReport): RowPair[] {
  const key = (row: AlertRow): string => `${row.name}\0${row.severity}`;
  const base = new Map((report.base?.rows ?? []).map((row) => [key(row), row]));
  const pairs: RowPair[] = report.head.rows.map((row) => ({ name: row.name, severity: row.severity, head: row, base: base.get(key(row)) }));
  const inHead = new Set(report.head.rows.map(key));
  for (const row of report.base?.rows ?? []) if (!inHead.has(key(row))) pairs.push({ name: row.name, severity: row.severity, base: row });
  return pairs;
}

/** Whether either side's alert fired: the others are listed by name only. */
export const fired = (pair: RowPair): boolean => (pair.head?.episodes.length ?? 0) + (pair.base?.episodes.length ?? 0) > 0;

/** `12 alerts never fired: A (warning), B (critical), …`, or nothing when all did. */
export function neverFired(pairs: readonly RowPair[]): string | undefined {
  const quiet = pairs.filter((pair) => !fired(pair)).map((pair) => `${pair.name} (${pair.severity || 'no severity'})`);
  return quiet.length === 0 ? undefined : `${quiet.length} alert${quiet.length === 1 ? '' : 's'} never fired: ${quiet.join(', ')}`;
}

export const percent = (part: number, whole: number): string => (whole === 0 ? '–' : `${Math.round((100 * part) / whole)} %`);

export const mean = (values: readonly number[]): number | undefined =>
  values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;

export const span = (seconds: number | undefined): string => (seconds === undefined ? '–' : formatSpan(seconds));

export interface Overall {
  readonly incidents: number;
  readonly caught: number;
  readonly episodes: number;
  readonly matching: number;
  readonly meanDetection: number | undefined;
  readonly maxDetection: number | undefined;
  readonly meanReset: number | undefined;
}

/** Recall over incidents, precision over every episode of every alert, detection and reset over caught incidents. */
export function overall(side: SideReport): Overall | undefined {
  if (!side.incidents) return undefined;
  const expected = side.incidents.filter((each) => !each.quiet);
  const caught = expected.filter((each) => each.detection !== undefined);
  const detections = caught.map((each) => each.detection!);
  return {
    incidents: expected.length,
    caught: caught.length,
    episodes: side.rows.reduce((sum, row) => sum + (row.measures?.episodes ?? 0), 0),
    matching: side.rows.reduce((sum, row) => sum + (row.measures?.matching ?? 0), 0),
    meanDetection: mean(detections),
    maxDetection: detections.length === 0 ? undefined : Math.max(...detections),
    meanReset: mean(caught.map((each) => each.reset!)),
  };
}

/** `+2`, `−1`, `0`. */
export const delta = (head: number, base: number): string => (head > base ? `+${head - base}` : head < base ? `−${base - head}` : '0');
