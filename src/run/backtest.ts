import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
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
import { defineCommand, orUsage, type OptionSpecs } from './command.ts';

export const backtestFormats = ['text', 'json', 'html'] as const;

export const backtestArgs = {
  prometheus: { type: 'string', value: 'URL', description: 'the Prometheus (or compatible API) whose past data the rules replay over' },
  from: { type: 'string', value: 'TIME', description: 'start: RFC 3339, Unix seconds or now-DURATION (now-7d)' },
  to: { type: 'string', value: 'TIME', description: 'end, in the same forms' },
  rules: { type: 'string', value: 'DIR', description: "replay this generated tree instead of the working tree's" },
  base: { type: 'string', value: 'REF', description: "replay a git revision's rules beside them, for comparison" },
  alert: { type: 'string', multiple: true, value: 'NAME', description: 'only these alerts (repeatable)' },
  incidents: { type: 'string', value: 'FILE', description: 'known incidents (JSON): precision, recall and detection time against them' },
  format: { type: 'string', value: 'text|json|html', description: "the report's format (default text)" },
  output: { type: 'string', value: 'FILE', description: 'write the report there instead of standard output' },
  'evaluation-interval': {
    type: 'string',
    value: 'DURATION',
    description: "the rules' evaluation interval (default: the definitions' config, else 1m)",
  },
  offset: { type: 'string', value: 'DURATION', description: 'shift the evaluation grid by this much (default 0s)' },
  flapping: { type: 'string', value: 'N', description: 'an episode shorter than this many evaluations counts as flapping (default 3)' },
  timeout: { type: 'string', value: 'DURATION', description: 'deadline of each query to the server (default 2m)' },
} as const satisfies OptionSpecs;

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

export const backtestCommand = defineCommand({
  name: 'backtest',
  summary: 'replay the alerts over past data: episodes, notifications after Alertmanager, measures against incidents',
  synopsis:
    '--prometheus URL --from TIME --to TIME [--rules DIR] [--base REF] [--alert NAME …] [--incidents FILE] [--format text|json|html] [--output FILE] [--evaluation-interval 1m] [--offset 0s] [--flapping 3] [--timeout 2m]',
  details:
    "Replays the alerting rules (and the recording rules they read) over the server's past data with Prometheus's semantics: pending and firing states, `for`, `keep_firing_for`; notifications are counted through the Alertmanager route evaluator.",
  options: backtestArgs,
  async run({ values }, { root, out, err, tty }) {
    return await runBacktest(root, orUsage(backtestOptions(values, root)), { out, err, tty });
  },
});
