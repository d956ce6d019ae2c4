import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatGithubAnnotations } from '../diff/format/github.ts';
import { formatGitlabCodeQuality } from '../diff/format/gitlab.ts';
import { formatJson } from '../diff/format/json.ts';
import { formatMarkdown } from '../diff/format/markdown.ts';
import type { RepositoryPaths } from '../diff/format/location.ts';
import { diffTrees, type Diff, type DiffBacktest, type DiffCost } from '../diff/index.ts';
import { sloKey } from '../diff/slos.ts';
import { PrometheusClient } from '../check/live/client.ts';
import { measureQueries } from '../check/live/index.ts';
import { treeQueries, type Query } from '../check/live/selections.ts';
import { locateLines } from '../diff/locate.ts';
import {
  GeneratedTreeError,
  mergeBase,
  parseGeneratedTree,
  readGeneratedDir,
  readGeneratedRevision,
  readProjectFiles,
  readRevisionFile,
  repositoryPrefix,
  resolveRevision,
  RevisionError,
  type GeneratedTree,
  type Revision,
} from '../reader/index.ts';
import { checkDrift, hasDrift } from '../output/drift.ts';
import { writeFileSet } from '../output/write.ts';
import { BoundedRunError } from '../process/bounded.ts';
import { HttpError } from '../process/http.ts';
import { backtest, firingCount } from '../backtest/index.ts';
import { prometheusApi } from '../backtest/prometheus.ts';
import { compoundSeconds } from '../model/duration.ts';
import { buildPlatform, evaluationIntervalOf, generatedDir } from './generate.ts';
import { defineCommand, orUsage } from './command.ts';

export const diffFormats = ['markdown', 'json', 'github', 'gitlab'] as const;
export const failLevels = ['breaking', 'any', 'never'] as const;

export interface DiffOptions {
  readonly base?: string;
  readonly head?: string;
  readonly baseDir?: string;
  readonly headDir?: string;
  readonly format: (typeof diffFormats)[number];
  readonly output?: string;
  readonly failOn: (typeof failLevels)[number];
  /** `--prometheus URL [--range 7d]`: replay the changed alerts of both sides over the last `range` seconds. */
  readonly backtest?: { readonly prometheus: string; readonly range: string; readonly seconds: number };
}

/** The options of `diff`, or the message for the first invalid one; relative paths resolve from `root`. */
export function diffOptions(values: Record<string, string | undefined>, root: string): DiffOptions | string {
  const format = values.format ?? 'markdown';
  const failOn = values['fail-on'] ?? 'breaking';
  if (!(diffFormats as readonly string[]).includes(format)) return `--format must be one of ${diffFormats.join(', ')}`;
  if (!(failLevels as readonly string[]).includes(failOn)) return `--fail-on must be one of ${failLevels.join(', ')}`;
  if (values.base !== undefined && values['base-dir'] !== undefined) return 'give --base or --base-dir, not both';
  if (values.head !== undefined && values['head-dir'] !== undefined) return 'give --head or --head-dir, not both';
  if (values.range !== undefined && values.prometheus === undefined) return '--range needs --prometheus URL';
  const range = values.range ?? '7d';
  const seconds = compoundSeconds(range);
  if (seconds === undefined || seconds <= 0) return `--range ${JSON.stringify(range)} is not a duration like "7d"`;
  if (values.prometheus !== undefined && !/^https?:\/\/[^/]/.test(values.prometheus))
    return `--prometheus ${JSON.stringify(values.prometheus)} is not an http(s) URL`;
  return {
    base: values.base,
    head: values.head,
    baseDir: values['base-dir'],
    headDir: values['head-dir'],
    format: format as DiffOptions['format'],
    output: values.output === undefined ? undefined : path.resolve(root, values.output),
    failOn: failOn as DiffOptions['failOn'],
    ...(values.prometheus !== undefined && { backtest: { prometheus: values.prometheus, range, seconds } }),
  };
}

interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A tree and how to read the definition files it names. */
interface Side {
  readonly tree: GeneratedTree;
  readonly sources: (files: readonly string[]) => Promise<Map<string, string>>;
  /** Seconds, from the definitions' config (the working tree only). */
  readonly evaluationInterval?: number;
}

/** `diff`: reads both trees, compares them, writes the chosen format; returns the exit code. */
export async function diff(root: string, options: DiffOptions, io: Io): Promise<number> {
  let result: Diff;
  let head: Side;
  try {
    const base = await baseSide(root, options);
    head = await headSide(root, options, io);
    result = diffTrees(base.tree, head.tree);
    if (options.backtest)
      result = {
        ...result,
        backtest: await backtestChanged(result, base, head, options.backtest, io),
        cost: await costOfChanged(result, head, options.backtest.prometheus),
      };
  } catch (error) {
    if (error instanceof RevisionError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    if (error instanceof GeneratedTreeError || error instanceof BoundedRunError || error instanceof HttpError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const sources = [...new Set(result.changes.flatMap((change) => (change.source ? [change.source] : [])))];
  result = { ...result, changes: locateLines(result.changes, await head.sources(sources)) };
  await write(root, result, options, io);
  const breaking = result.changes.filter((change) => change.breaking).length;
  if (options.output !== undefined || options.format === 'github')
    io.err(`monforge diff: ${result.changes.length} changes, ${breaking} breaking (${result.base} → ${result.head})\n`);
  if (options.failOn === 'breaking') return breaking > 0 ? 1 : 0;
  return options.failOn === 'any' && result.changes.length > 0 ? 1 : 0;
}

/** Replays the alerts the diff changes, on both sides, over the last `range`: their firing episodes by name. */
async function backtestChanged(
  result: Diff,
  base: Side,
  head: Side,
  options: NonNullable<DiffOptions['backtest']>,
  io: Io,
): Promise<DiffBacktest> {
  const names = [
    ...new Set(result.changes.filter((change) => change.kind === 'alert').map((change) => change.object.replace(/\{.*$/, ''))),
  ];
  const to = Math.floor(Date.now() / 1000);
  const byAlert: Record<string, { head: number | null; base: number | null }> = {};
  if (names.length > 0) {
    io.err(`replaying ${names.length} changed alerts over the last ${options.range} of ${options.prometheus}\n`);
    const report = await backtest({
      api: prometheusApi(options.prometheus),
      range: { from: to - options.seconds, to },
      head: { label: result.head, tree: head.tree },
      base: { label: result.base, tree: base.tree },
      alerts: names,
      evaluationInterval: head.evaluationInterval ?? 60,
    });
    for (const name of names) byAlert[name] = { head: firingCount(report.head, name), base: firingCount(report.base!, name) };
  }
  return { prometheus: options.prometheus, range: options.range, byAlert };
}

/** What the rules the diff adds or alters read now: an alert's heaviest level, all of an SLO's rules, a recording rule itself. */
async function costOfChanged(result: Diff, head: Side, prometheus: string): Promise<DiffCost> {
  const rules = treeQueries(head.tree).filter((query) => query.kind !== 'panel');
  const wanted = new Map<string, { kind: string; queries: Query[] }>();
  for (const change of result.changes) {
    if (change.action === 'removed' || wanted.has(change.object)) continue;
    const name = change.object.replace(/\{.*$/, '');
    const mine =
      change.kind === 'alert'
        ? rules.filter((query) => query.kind === 'alert' && query.rule === name)
        : change.kind === 'recording'
          ? rules.filter((query) => query.kind === 'record' && query.name === change.object)
          : change.kind === 'slo'
            ? rules.filter((query) => query.labels !== undefined && sloKey(query.labels) === change.object)
            : [];
    if (mine.length > 0) wanted.set(change.object, { kind: change.kind, queries: mine });
  }
  const measured = new Map(
    (
      await measureQueries(new PrometheusClient({ url: prometheus }), [...new Set([...wanted.values()].flatMap((each) => each.queries))])
    ).map((each) => [each.query, each]),
  );
  const byObject: Record<string, { series: number; samples?: number }> = {};
  for (const [object, { kind, queries }] of wanted) {
    const figures = queries.map((query) => measured.get(query)!);
    const known = figures.every((figure) => figure.samples !== undefined);
    const sum = (key: 'series' | 'samples') => figures.reduce((total, figure) => total + (figure[key] ?? 0), 0);
    const heaviest = figures.reduce((most, figure) => (figure.series > most.series ? figure : most));
    byObject[object] =
      kind === 'slo'
        ? { series: sum('series'), ...(known && { samples: sum('samples') }) }
        : { series: heaviest.series, ...(heaviest.samples !== undefined && { samples: heaviest.samples }) };
  }
  return { prometheus, byObject };
}

const noSources = async (): Promise<Map<string, string>> => new Map();

async function revisionSide(root: string, revision: Revision): Promise<Side> {
  const tree = await readGeneratedRevision(root, revision, path.relative(root, generatedDir(root)));
  const sources = async (files: readonly string[]) => {
    const texts = new Map<string, string>();
    for (const file of files) {
      const text = await readRevisionFile(root, revision, file);
      if (text !== undefined) texts.set(file, text);
    }
    return texts;
  };
  return { tree, sources };
}

async function baseSide(root: string, options: DiffOptions): Promise<Side> {
  if (options.baseDir !== undefined)
    return { tree: await readGeneratedDir(path.resolve(root, options.baseDir), options.baseDir), sources: noSources };
  if (options.base !== undefined) return revisionSide(root, await resolveRevision(root, options.base));
  for (const candidate of ['origin/main', 'main']) {
    const target = await resolveRevision(root, candidate).catch(() => undefined);
    if (!target) continue;
    const commit = await mergeBase(root, 'HEAD', target.commit);
    if (!commit) throw new RevisionError(`HEAD and ${candidate} share no history: pass --base REF`);
    return revisionSide(root, { commit, label: `merge base with ${candidate} (${commit.slice(0, 7)})` });
  }
  throw new RevisionError('no --base given and neither origin/main nor main exists here: pass --base REF or --base-dir DIR');
}

async function headSide(root: string, options: DiffOptions, io: Io): Promise<Side> {
  if (options.headDir !== undefined)
    return { tree: await readGeneratedDir(path.resolve(root, options.headDir), options.headDir), sources: noSources };
  if (options.head !== undefined) return revisionSide(root, await resolveRevision(root, options.head));
  // The working tree as `generate` would write it; a stale generated/ is regenerated first.
  const { platform, files } = await buildPlatform(root);
  if (hasDrift(await checkDrift(generatedDir(root), files))) {
    await writeFileSet(generatedDir(root), files);
    io.err('generated/ was out of date: regenerated it from the definitions first\n');
  }
  return {
    tree: parseGeneratedTree(files, 'working tree'),
    sources: (paths) => readProjectFiles(root, paths),
    evaluationInterval: evaluationIntervalOf(platform),
  };
}

async function write(root: string, result: Diff, options: DiffOptions, io: Io): Promise<void> {
  const paths: RepositoryPaths = {
    prefix: (await repositoryPrefix(root)) ?? '',
    generated: path.relative(root, generatedDir(root)).split(path.sep).join('/'),
  };
  const emit = async (text: string): Promise<void> => {
    if (options.output === undefined) io.out(text);
    else await writeFile(options.output, text);
  };
  switch (options.format) {
    case 'markdown':
      return emit(formatMarkdown(result));
    case 'json':
      return emit(formatJson(result));
    case 'gitlab':
      return emit(formatGitlabCodeQuality(result, paths));
    case 'github': {
      // Annotations must go to stdout for the runner; the Markdown to the job summary and --output.
      io.out(formatGithubAnnotations(result, paths));
      const markdown = formatMarkdown(result);
      if (io.env.GITHUB_STEP_SUMMARY) await appendFile(io.env.GITHUB_STEP_SUMMARY, markdown);
      if (options.output !== undefined) await writeFile(options.output, markdown);
    }
  }
}

export const diffCommand = defineCommand({
  name: 'diff',
  summary: 'what a change does for the people on call: alerts, SLOs, recording rules, routing, dashboards, playbooks',
  synopsis:
    '[--base REF] [--head REF] [--base-dir DIR] [--head-dir DIR] [--format markdown|json|github|gitlab] [--output FILE] [--fail-on breaking|any|never] [--prometheus URL [--range 7d]]',
  details:
    'Compares the generated output of two revisions. The base defaults to the merge base with origin/main (or main), the head to the working tree, regenerated first when stale. Objects are paired by name and labels, never by position.',
  options: {
    base: {
      type: 'string',
      value: 'REF',
      description: 'the git revision to compare from (default: the merge base with origin/main, else main)',
    },
    head: { type: 'string', value: 'REF', description: 'the git revision to compare to (default: the working tree)' },
    'base-dir': { type: 'string', value: 'DIR', description: 'a generated tree on disk to compare from, instead of --base' },
    'head-dir': { type: 'string', value: 'DIR', description: 'a generated tree on disk to compare to, instead of --head' },
    format: {
      type: 'string',
      value: 'markdown|json|github|gitlab',
      description: 'a review comment, data, or CI annotations (default markdown)',
    },
    output: { type: 'string', value: 'FILE', description: 'write the report there instead of standard output' },
    'fail-on': {
      type: 'string',
      value: 'breaking|any|never',
      description: 'exit 1 on breaking changes (default), on any change, or never',
    },
    prometheus: {
      type: 'string',
      value: 'URL',
      description: 'replay each changed alert of both sides over past data: how often it would have fired',
    },
    range: { type: 'string', value: 'DURATION', description: 'how far back --prometheus replays (default 7d)' },
  },
  async run({ values }, { root, out, err, env }) {
    return await diff(root, orUsage(diffOptions(values, root)), { out, err, env });
  },
});
