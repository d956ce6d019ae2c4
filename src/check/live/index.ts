import { scrapeJobs } from '../../derive/scrape-jobs.ts';
import * as live from '../../findings/catalog/live.ts';
import { seconds } from '../../model/duration.ts';
import type { Platform } from '../../model/platform.ts';
import { HttpError } from '../../process/http.ts';
import type { GeneratedTree } from '../../reader/index.ts';
import type { PrometheusClient } from './client.ts';
import { defaultSeriesBudget, measureCosts, type Measured } from './cost.ts';
import { evaluationFindings } from './evaluate.ts';
import { existenceFindings } from './exists.ts';
import { bucketSelections, sloBucketFindings, typeFindings } from './kinds.ts';
import { DefinitionLines, locate } from './locate.ts';
import { inventory, type Query } from './selections.ts';
import { alertSeries, fetchSeries, type Span } from './series.ts';
import { pending, type LiveReport, type Origin, type Pending } from './types.ts';
import { absentForFindings, rateWindowFindings, ScrapeIntervals } from './windows.ts';

// `check --prometheus`: what only the running server knows about the definitions. The analysis
// asks the server few, batched questions (client.ts), and every finding points at the line of
// the definition that fixes it (locate.ts); formatting lives in format.ts.

export interface LiveInput {
  readonly platform: Platform;
  /** The compiled definitions as the one reader reads them: their rules and dashboards. */
  readonly tree: GeneratedTree;
  /** Definition files' text by path relative to the project root. */
  readonly texts: ReadonlyMap<string, string>;
}

export interface LiveOptions {
  /** Series a rule may read; default 50,000. */
  readonly budget?: number;
  /** Unix seconds the check asks about; default now. */
  readonly time?: number;
}

/** What "now" is for the series and label APIs: the last 10 minutes, room for a scrape or two missed. */
const recentSeconds = 600;
/** A label value seen this recently is absent for now, not misspelt. */
const historySeconds = 7 * 86400;

/** The oldest Prometheus whose APIs the check relies on. */
const minimumVersion = [2, 42] as const;

function serverName(info: { version?: string; application?: string }): string | undefined {
  if (info.version === undefined) return info.application;
  return `${info.application ?? 'Prometheus'} ${info.version}`;
}

function tooOld(info: { version?: string; application?: string }): boolean {
  const match = /^(\d+)\.(\d+)\./.exec(info.version ?? '');
  if (info.application !== undefined || !match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major < minimumVersion[0] || (major === minimumVersion[0] && minor < minimumVersion[1]);
}

/** The one finding of a server that cannot be asked: on the `defineConfig` the platform runs with. */
function stopped(platform: Platform, reason: string): Pending {
  const at: Origin = { file: platform.config.source, object: '--prometheus', anchors: [/defineConfig\(/] };
  return pending(
    live.unreachable(reason),
    'error',
    at,
    'check the URL (with its path prefix, /prometheus for Mimir), the headers (a Mimir tenant: --prometheus-header X-Scope-OrgID=…) and that the server answers from here',
  );
}

/** The series and samples per evaluation of these queries now (`diff --prometheus` for the rules a change adds or alters). */
export async function measureQueries(
  client: PrometheusClient,
  queries: readonly Query[],
  time = Math.floor(Date.now() / 1000),
): Promise<Measured[]> {
  const names = new Set(await client.labelValues('__name__', [], time - recentSeconds, time));
  return (await measureCosts(client, queries, { time, budget: Number.POSITIVE_INFINITY, present: (name) => names.has(name) })).costs;
}

/** Runs every live check against the server `client` asks; never throws for what the server does. */
export async function liveCheck(client: PrometheusClient, input: LiveInput, options: LiveOptions = {}): Promise<LiveReport> {
  const { platform, tree, texts } = input;
  const time = options.time ?? Math.floor(Date.now() / 1000);
  const budget = options.budget ?? defaultSeriesBudget;
  const lines = new DefinitionLines(texts);
  const report = (findings: Pending[], rest: Partial<LiveReport> = {}): LiveReport => ({
    url: client.url,
    findings: locate(findings, lines),
    costs: [],
    budget,
    ...rest,
    calls: client.calls,
  });
  let info: { version?: string; application?: string };
  try {
    info = await client.buildInfo();
  } catch (error) {
    if (error instanceof HttpError) return report([stopped(platform, error.message)]);
    throw error;
  }
  const server = serverName(info);
  const found: Pending[] = [];
  if (tooOld(info)) {
    found.push(
      pending(
        live.oldServer(server!, minimumVersion.join('.')),
        'warning',
        { file: platform.config.source, object: '--prometheus', anchors: [/defineConfig\(/] },
        `run the live check against Prometheus ${minimumVersion.join('.')} or newer`,
      ),
    );
  }
  try {
    const span: Span = { start: time - recentSeconds, end: time };
    const { selections, queries, recorded } = inventory(platform, tree);
    const skip = (name: string): boolean => alertSeries.has(name) || recorded.has(name);
    const [targets, serverRecorded, index] = await Promise.all([
      client.targets(),
      client.recordedNames(),
      // The latency SLOs' buckets come with the selections' series: one question per histogram.
      fetchSeries(client, [...selections, ...bucketSelections(platform)], skip, span),
    ]);
    let names: Promise<ReadonlySet<string>> | undefined;
    const lookups = {
      client,
      index,
      span,
      history: { start: time - historySeconds, end: time },
      names: () => (names ??= client.labelValues('__name__', [], span.start, span.end).then((values) => new Set(values))),
      serverRecorded,
      recorded,
    };
    const intervals = new ScrapeIntervals(
      targets ?? [],
      targets === undefined ? new Map(scrapeJobs(platform).map((job) => [job.jobName, seconds(job.interval)])) : undefined,
    );
    const present = await lookups.names();
    const [exist, types, cost, evaluation] = await Promise.all([
      existenceFindings(selections, lookups, skip),
      typeFindings(client, selections, index, span),
      measureCosts(client, queries, { time, budget, present: (name) => present.has(name) }),
      evaluationFindings(client, platform, time),
    ]);
    found.push(
      ...exist,
      ...types,
      ...sloBucketFindings(platform, index),
      ...rateWindowFindings(selections, index, intervals),
      ...absentForFindings(platform, index, intervals),
      ...cost.findings,
      ...evaluation,
    );
    const costs = cost.costs.map(({ query, series, samples }) => ({
      kind: query.kind,
      name: query.name,
      generated: query.file,
      ...lines.at(query.origin),
      expr: query.expr,
      series,
      ...(samples !== undefined && { samples }),
    }));
    return report(found, { ...(server !== undefined && { server }), costs });
  } catch (error) {
    if (error instanceof HttpError) return report([...found, stopped(platform, error.message)], server === undefined ? {} : { server });
    throw error;
  }
}
