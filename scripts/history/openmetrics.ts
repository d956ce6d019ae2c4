// Synthetic history as OpenMetrics text, the input of `promtool tsdb create-blocks-from
// openmetrics`: every family's series together, each series' samples in time order, timestamps
// in seconds, `# EOF` last. Values come from a function of time, so any span of the history can
// be written on its own (counters stay cumulative across spans), or with spans of other histories.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export type Labels = Readonly<Record<string, string>>;

export interface SeriesHistory {
  readonly labels: Labels;
  /** The value at `time` (Unix seconds), or undefined where the series has no sample (not created yet, scrape gap). */
  readonly value: (time: number) => number | undefined;
}

export interface FamilyHistory {
  /** The family name: a counter's samples are written as `<name>_total`. Histograms: one `unknown` family per `_bucket`, `_sum`, `_count`. */
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'unknown';
  readonly help: string;
  readonly series: readonly SeriesHistory[];
}

export interface History {
  readonly families: readonly FamilyHistory[];
  /** First sample time, Unix seconds. */
  readonly start: number;
  /** Last sample time (inclusive), Unix seconds. */
  readonly end: number;
  /** Seconds between samples: the scrape interval. */
  readonly step: number;
}

export interface Written {
  readonly samples: number;
  readonly bytes: number;
}

const escapeLabel = (value: string): string => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

/** `name{a="1",b="2"} `: labels sorted, as Prometheus stores them. */
function samplePrefix(name: string, labels: Labels): string {
  const inner = Object.keys(labels)
    .sort()
    .map((label) => `${label}="${escapeLabel(labels[label]!)}"`)
    .join(',');
  return `${name}{${inner}} `;
}

/** Sample times of the history in [from, to): multiples of `step` after `start`. */
export function sampleTimes(history: History, from: number, to: number): number[] {
  const first = Math.max(history.start, history.start + Math.ceil((from - history.start) / history.step) * history.step);
  const times: number[] = [];
  for (let time = first; time < to && time <= history.end; time += history.step) times.push(time);
  return times;
}

/** The part of a history in [from, to) (Unix seconds). */
export interface Span {
  readonly history: History;
  readonly from: number;
  readonly to: number;
}

/**
 * Writes the samples of `spans` (in time order, so that each series' samples are) to `file` and
 * resolves once they are on disk: every family once, each series' samples together, whichever
 * spans they come from. Strings are batched into ~1 MiB writes that wait for the stream to
 * drain: memory stays flat for any number of samples.
 */
export async function writeOpenMetrics(file: string, spans: readonly Span[]): Promise<Written> {
  const families = new Map<string, { type: FamilyHistory['type']; help: string; series: Map<string, SeriesPart[]> }>();
  for (const { history, from, to } of spans) {
    const times = sampleTimes(history, from, to);
    for (const family of history.families) {
      const known = families.get(family.name) ?? { type: family.type, help: family.help, series: new Map() };
      if (known.type !== family.type) throw new Error(`${file}: family ${family.name} is a ${known.type} and a ${family.type}`);
      families.set(family.name, known);
      const sampleName = family.type === 'counter' ? `${family.name}_total` : family.name;
      for (const series of family.series) {
        const prefix = samplePrefix(sampleName, series.labels);
        known.series.set(prefix, [...(known.series.get(prefix) ?? []), { value: series.value, times }]);
      }
    }
  }
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([error]) => {
    throw error;
  });
  failed.catch(() => {});
  let buffer = '';
  let samples = 0;
  let bytes = 0;
  const flush = async (): Promise<void> => {
    bytes += Buffer.byteLength(buffer);
    const ok = out.write(buffer);
    buffer = '';
    if (!ok) await Promise.race([once(out, 'drain'), failed]);
  };
  for (const [name, family] of families) {
    buffer += `# TYPE ${name} ${family.type}\n# HELP ${name} ${family.help}\n`;
    for (const [prefix, parts] of family.series) {
      for (const { value: valueAt, times } of parts) {
        for (const time of times) {
          const value = valueAt(time);
          if (value === undefined) continue;
          buffer += `${prefix}${value} ${time}\n`;
          samples += 1;
        }
        if (buffer.length > 1 << 20) await flush();
      }
    }
  }
  buffer += '# EOF\n';
  await flush();
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return { samples, bytes };
}

/** A series' samples in one span. */
interface SeriesPart {
  readonly value: SeriesHistory['value'];
  readonly times: readonly number[];
}
