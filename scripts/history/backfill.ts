// Backfilling a Prometheus data directory with promtool: synthetic history from OpenMetrics,
// recording rules evaluated against a running server, and `promtool tsdb list` to check what
// landed. Every promtool run has a deadline; its error names the command and its last output.
import { execFile } from 'node:child_process';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { type History, sampleTimes, type Span, writeOpenMetrics } from './openmetrics.ts';

const run = promisify(execFile);

/** promtool aligns the blocks it writes to multiples of 2h since the epoch, and reads its input once per block. */
const blockSeconds = 2 * 3600;

/**
 * The longest block promtool writes (its largest compatible range, ~4.5 years; a larger
 * `--max-block-duration` picks it): a file's samples then land in one block, or two across a
 * boundary, so promtool reads the file twice or three times whatever time it spans.
 */
const longestBlock = '39366h';

async function promtool(args: readonly string[], timeoutMs: number): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', [...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const failure = error as Error & { stdout?: string; stderr?: string; killed?: boolean };
    const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim().split('\n').slice(-5).join(' | ');
    const reason = failure.killed ? `no result within ${timeoutMs / 1000} s` : failure.message.split('\n')[0];
    throw new Error(`promtool ${args.slice(0, 3).join(' ')}: ${reason}${output ? `: ${output}` : ''}`);
  }
}

export interface BackfillOptions {
  /** Where the OpenMetrics files are written (each removed once converted). */
  readonly workDir: string;
  /** Files converted at the same time (each promtool run takes one core). */
  readonly concurrency?: number;
  /** Samples a file holds at most, unless one 2h span holds more (what promtool holds in memory at once). */
  readonly samplesPerFile?: number;
  /** Deadline of each promtool run. */
  readonly timeoutMs?: number;
  /** Called after each file is converted, with the 2h spans converted so far, for progress output. */
  readonly onBlock?: (done: number, total: number) => void;
}

/**
 * Writes `histories` into the TSDB at `dataDir`. Their 2h spans, in time order, go into as few
 * OpenMetrics files as `samplesPerFile` allows (a file is written while the one before is
 * converted), each converted by one `promtool tsdb create-blocks-from openmetrics` run and
 * removed: a run starts in tens of milliseconds, so many small histories (the scenarios of a
 * test, each apart from the others in time) cost one run, not one per span. Histories that share
 * a series must not overlap in time. Resolves to the number of samples written.
 */
export async function backfillOpenMetrics(
  histories: History | readonly History[],
  dataDir: string,
  options: BackfillOptions,
): Promise<number> {
  await mkdir(options.workDir, { recursive: true });
  await mkdir(dataDir, { recursive: true });
  const spans: (Span & { samples: number })[] = [];
  for (const history of Array.isArray(histories) ? (histories as readonly History[]) : [histories as History]) {
    const series = history.families.reduce((sum, family) => sum + family.series.length, 0);
    for (let from = Math.floor(history.start / blockSeconds) * blockSeconds; from <= history.end; from += blockSeconds)
      spans.push({ history, from, to: from + blockSeconds, samples: series * sampleTimes(history, from, from + blockSeconds).length });
  }
  spans.sort((a, b) => a.from - b.from);
  const limit = options.samplesPerFile ?? 1_000_000;
  const files: Span[][] = [];
  let size = 0;
  for (const span of spans) {
    if (files.length === 0 || size + span.samples > limit) {
      files.push([]);
      size = 0;
    }
    files.at(-1)!.push(span);
    size += span.samples;
  }
  let next = 0;
  let done = 0;
  let samples = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const file = path.join(options.workDir, `history-${index}.om.txt`);
      try {
        const written = await writeOpenMetrics(file, files[index]!);
        samples += written.samples;
        if (written.samples > 0)
          await promtool(
            ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', `--max-block-duration=${longestBlock}`, file, dataDir],
            options.timeoutMs ?? 10 * 60_000,
          );
      } finally {
        await rm(file, { force: true });
      }
      done += files[index]!.length;
      options.onBlock?.(done, spans.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  return samples;
}

export interface Block {
  readonly ulid: string;
  /** Milliseconds since the epoch. */
  readonly minTime: number;
  readonly maxTime: number;
  readonly samples: number;
  readonly series: number;
}

/** The blocks of a data directory, from `promtool tsdb list`. */
export async function listBlocks(dataDir: string, timeoutMs = 60_000): Promise<Block[]> {
  const output = await promtool(['tsdb', 'list', dataDir], timeoutMs);
  return output
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => /^[0-9A-Z]{26}$/.test(fields[0] ?? ''))
    .map((fields) => ({
      ulid: fields[0]!,
      minTime: Number(fields[1]),
      maxTime: Number(fields[2]),
      samples: Number(fields[4]),
      series: Number(fields[6]),
    }));
}

/** Throws unless the blocks hold exactly `samples` samples, from `start` to `end` (Unix seconds). */
export async function verifyBlocks(dataDir: string, expected: { samples: number; start: number; end: number }): Promise<Block[]> {
  const blocks = await listBlocks(dataDir);
  const samples = blocks.reduce((sum, block) => sum + block.samples, 0);
  const minTime = Math.min(...blocks.map((block) => block.minTime));
  const maxTime = Math.max(...blocks.map((block) => block.maxTime));
  // A block's maxTime is exclusive: one millisecond past its last sample.
  if (samples !== expected.samples || minTime !== expected.start * 1000 || maxTime !== expected.end * 1000 + 1) {
    throw new Error(
      `${dataDir}: blocks hold ${samples} samples from ${minTime} to ${maxTime} ms; expected ${expected.samples} from ${expected.start * 1000} to ${expected.end * 1000 + 1}`,
    );
  }
  return blocks;
}

export interface RuleBackfill {
  /** Rule files whose recording rules are evaluated (alerting rules are ignored by promtool). */
  readonly ruleFiles: readonly string[];
  /** The Prometheus that holds the series the rules read. */
  readonly url: string;
  /** Unix seconds. */
  readonly start: number;
  readonly end: number;
  /** Evaluation interval of groups without their own. */
  readonly evalInterval?: string;
  readonly outputDir: string;
  readonly timeoutMs?: number;
}

/**
 * Evaluates recording rules over past time with `promtool tsdb create-blocks-from rules` into
 * blocks under `outputDir`. promtool cannot evaluate a rule that reads another rule of the same
 * run: backfill in stages, a server restart between them (see adoptBlocks).
 */
export async function backfillRules(options: RuleBackfill): Promise<void> {
  await mkdir(options.outputDir, { recursive: true });
  await promtool(
    [
      'tsdb',
      'create-blocks-from',
      'rules',
      '--quiet',
      `--url=${options.url}`,
      `--start=${options.start}`,
      `--end=${options.end}`,
      `--eval-interval=${options.evalInterval ?? '60s'}`,
      `--output-dir=${options.outputDir}`,
      ...options.ruleFiles,
    ],
    options.timeoutMs ?? 10 * 60_000,
  );
}

/** Moves the blocks of `fromDir` into `dataDir` (while no server has it open). Resolves to how many. */
export async function adoptBlocks(fromDir: string, dataDir: string): Promise<number> {
  const blocks = (await readdir(fromDir)).filter((name) => /^[0-9A-Z]{26}$/.test(name));
  for (const block of blocks) await rename(path.join(fromDir, block), path.join(dataDir, block));
  return blocks.length;
}
