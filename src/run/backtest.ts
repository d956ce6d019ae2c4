import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { HttpError } from '../process/http.ts';
import { formatHtml } from '../backtest/format/html.ts';
import { formatJson } from '../backtest/format/json.ts';
import { formatText } from '../backtest/format/text.ts';
import { type Incident, IncidentsFileError, parseIncidents } from '../backtest/incidents.ts';
import { backtest, type BacktestReport, type BacktestSide, unknownAlerts } from '../backtest/index.ts';
import { prometheusApi } from '../backtest/prometheus.ts';
import { parseTime } from '../backtest/time.ts';
import { ruleFilePath } from '../compile/prometheus/paths.ts';
import {
  GeneratedTreeError,
  parseGeneratedTree,
  readGeneratedDir,
  readGeneratedRevision,
  resolveRevision,
  RevisionError,
} from '../reader/index.ts';
import { compoundSeconds } from '../model/duration.ts';
import { listFiles } from '../output/drift.ts';
import { BoundedRunError } from '../process/bounded.ts';
import { buildPlatform, evaluationIntervalOf, generatedDir } from './generate.ts';

export const backtestFormats = ['text', 'json', 'html'] as const;

export const backtestArgs = {
  prometheus: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  rules: { type: 'string' },
  base: { type: 'string' },
  alert: { type: 'string', multiple: true },
  incidents: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  'evaluation-interval': { type: 'string' },
  offset: { type: 'string' },
  flapping: { type: 'string' },
  timeout: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const backtestUsage = `  backtest --prometheus URL --from TIME --to TIME [--rules DIR] [--base REF] [--alert NAME …] [--incidents FILE]
           [--format text|json|html] [--output FILE] [--evaluation-interval 1m] [--offset 0s] [--flapping 3] [--timeout 2m]
                       replay the alerting rules (and the recording rules they read) over the server's past data with
                       Prometheus's semantics: episodes per alert, notifications after Alertmanager, measures against
                       known incidents; --base REF puts a revision's rules beside them; TIME: RFC 3339, Unix seconds or now-7d`;

export interface BacktestOptions {
  readonly prometheus: string;
  readonly from: number;
  readonly to: number;
  readonly rules?: string;
  readonly base?: string;
  readonly alerts: readonly string[];
  readonly incidents?: string;
  readonly format: (typeof backtestFormats)[number];
  readonly output?: string;
  readonly evaluationInterval?: number;
  readonly offset: number;
  readonly flapping: number;
  readonly timeoutMs: number;
}

type Values = { [K in keyof typeof backtestArgs]?: (typeof backtestArgs)[K] extends { multiple: true } ? string[] : string };

/** The options of `backtest`, or the message for the first invalid one; relative paths resolve from `root`. */
export function backtestOptions(values: Values, root: string, now = Date.now() / 1000): BacktestOptions | string {
  const { prometheus } = values;
  if (!prometheus) return 'backtest needs --prometheus URL';
  if (!/^https?:\/\/[^/]/.test(prometheus)) return `--prometheus ${JSON.stringify(prometheus)} is not an http(s) URL`;
  if (values.from === undefined || values.to === undefined) return 'backtest needs --from TIME and --to TIME';
  const from = parseTime(values.from, now);
  const to = parseTime(values.to, now);
  if (from === undefined) return `--from ${JSON.stringify(values.from)} is not an RFC 3339 time, Unix seconds or now-DURATION`;
  if (to === undefined) return `--to ${JSON.stringify(values.to)} is not an RFC 3339 time, Unix seconds or now-DURATION`;
  if (to <= from) return '--to must be after --from';
  const format = values.format ?? 'text';
  if (!(backtestFormats as readonly string[]).includes(format)) return `--format must be one of ${backtestFormats.join(', ')}`;
  const seconds = (name: 'evaluation-interval' | 'offset' | 'timeout', fallback?: number): number | string | undefined => {
    const text = values[name];
    if (text === undefined) return fallback;
    const value = compoundSeconds(text);
    return value === undefined || (name !== 'offset' && value <= 0)
      ? `--${name} ${JSON.stringify(text)} is not a duration like "1m"`
      : value;
  };
  const evaluationInterval = seconds('evaluation-interval');
  const offset = seconds('offset', 0);
  const timeout = seconds('timeout', 120);
  for (const value of [evaluationInterval, offset, timeout]) if (typeof value === 'string') return value;
  const flapping = Number(values.flapping ?? '3');
  if (!Number.isInteger(flapping) || flapping < 1)
    return `--flapping ${JSON.stringify(values.flapping)} is not a whole number of evaluations`;
  return {
    prometheus,
    from,
    to,
    rules: values.rules === undefined ? undefined : path.resolve(root, values.rules),
    base: values.base,
    alerts: values.alert ?? [],
    incidents: values.incidents === undefined ? undefined : path.resolve(root, values.incidents),
    format: format as BacktestOptions['format'],
    output: values.output === undefined ? undefined : path.resolve(root, values.output),
    evaluationInterval: evaluationInterval as number | undefined,
    offset: offset as number,
    flapping,
    timeoutMs: (timeout as number) * 1000,
  };
}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stderr is a terminal: a progress bar is drawn there. */
  readonly tty: boolean;
}

const rulesDir = path.posix.dirname(ruleFilePath('x'));

/**
 * `--rules DIR`: a generated tree (it has prometheus/rules/), or a folder of Prometheus rule
 * files read as that tree's rule folder (no alertmanager.yml: no notifications).
 */
async function rulesSide(dir: string): Promise<BacktestSide> {
  const label = path.basename(dir);
  if ((await stat(path.join(dir, rulesDir)).catch(() => undefined))?.isDirectory())
    return { label, tree: await readGeneratedDir(dir, label) };
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new GeneratedTreeError(label, [`${dir} is not a directory`]);
  const files = new Map<string, string>();
  for (const file of (await listFiles(dir)).filter((each) => /\.ya?ml$/.test(each)))
    files.set(`${rulesDir}/${file}`, await readFile(path.join(dir, file), 'utf8'));
  return { label, tree: parseGeneratedTree(files, label) };
}

/** The working tree's definitions, compiled as `generate` would write them, with their evaluation interval. */
async function workingTree(root: string): Promise<{ side: BacktestSide; evaluationInterval: number }> {
  const { platform, files } = await buildPlatform(root);
  return {
    side: { label: 'working tree', tree: parseGeneratedTree(files, 'working tree') },
    evaluationInterval: evaluationIntervalOf(platform),
  };
}

/** Reads both sides, replays them, writes the chosen format; returns the exit code. */
export async function runBacktest(root: string, options: BacktestOptions, io: Io): Promise<number> {
  let report: BacktestReport;
  try {
    let incidents: Incident[] | undefined;
    if (options.incidents !== undefined) {
      const relative = path.relative(root, options.incidents) || options.incidents;
      incidents = parseIncidents(relative, await readFile(options.incidents, 'utf8'));
    }
    const working = options.rules === undefined ? await workingTree(root) : undefined;
    const head = working?.side ?? (await rulesSide(options.rules!));
    const base =
      options.base === undefined
        ? undefined
        : await resolveRevision(root, options.base).then(async (revision) => ({
            label: revision.label,
            tree: await readGeneratedRevision(root, revision, path.relative(root, generatedDir(root))),
          }));
    const missing = unknownAlerts({ alerts: options.alerts, head, base });
    if (missing.length > 0) {
      io.err(
        `no alert named ${missing.map((name) => JSON.stringify(name)).join(', ')} in ${[head, ...(base ? [base] : [])].map((side) => side.label).join(' or ')}\n`,
      );
      return 2;
    }
    const progress = io.tty ? progressBar(io.err) : undefined;
    report = await backtest({
      api: prometheusApi(options.prometheus, { timeoutMs: options.timeoutMs, maxBytes: 256 * 1024 * 1024 }),
      range: { from: options.from, to: options.to },
      head,
      ...(base && { base }),
      alerts: options.alerts,
      ...(incidents && { incidents }),
      evaluationInterval: options.evaluationInterval ?? working?.evaluationInterval ?? 60,
      offset: options.offset,
      flappingEvaluations: options.flapping,
      ...(progress && { onProgress: progress }),
    });
    if (progress) io.err('\n');
  } catch (error) {
    if (error instanceof RevisionError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    if (
      error instanceof GeneratedTreeError ||
      error instanceof BoundedRunError ||
      error instanceof HttpError ||
      error instanceof IncidentsFileError
    ) {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const text = options.format === 'json' ? formatJson(report) : options.format === 'html' ? formatHtml(report) : formatText(report);
  if (options.output === undefined) io.out(text);
  else {
    await writeFile(options.output, text);
    io.err(`monforge backtest: ${report.head.rows.length} alerts, written to ${options.output}\n`);
  }
  return 0;
}

/** `[#######.............]  35 %  12,345/35,000 evaluations` redrawn in place, at most every 100 ms. */
function progressBar(write: (text: string) => void): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < 100 && done < total) return;
    last = now;
    const share = total === 0 ? 1 : done / total;
    const filled = Math.round(share * 30);
    write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${String(Math.round(share * 100)).padStart(3)} %  ${done.toLocaleString('en')}/${total.toLocaleString('en')} evaluations`,
    );
  };
}
