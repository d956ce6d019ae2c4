import { z } from 'zod';
import { compoundSeconds } from '../../model/duration.ts';
import { answerOf, HttpError, httpRequest, joinUrl, type HttpLimits, type HttpResponse } from '../../process/http.ts';
import { limiter } from '../../process/limit.ts';

// The few questions the live check asks a Prometheus (2.42+) or Mimir's Prometheus API: the
// series, label and metadata APIs, the targets and rules APIs, and instant queries. Every call
// goes through process/http.ts (a deadline over the whole exchange, a size limit on the answer),
// at most `concurrency` at a time, with the user's headers (a Mimir tenant, a token).

export type Labels = Readonly<Record<string, string>>;

export interface ServerOptions {
  /** The API's base: `http://prometheus:9090`, `https://mimir.example.com/prometheus`. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly limits?: HttpLimits;
  /** Calls in flight at once. */
  readonly concurrency?: number;
}

export const defaultServerLimits: HttpLimits = { timeoutMs: 30_000, maxBytes: 64 * 1024 * 1024 };
export const defaultConcurrency = 8;

/** The server answered a query with an error (`bad_data`, `execution`): the query's fault, not the connection's. */
export class QueryError extends Error {
  override name = 'QueryError';
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }

  /** Over `--query.max-samples`: a smaller query may pass. */
  get tooLarge(): boolean {
    return /too many samples/i.test(this.reason);
  }
}

export interface Target {
  readonly labels: Labels;
  readonly scrapeIntervalSeconds: number;
}

export interface MetricMetadata {
  readonly type: string;
  readonly help: string;
}

export interface QueryAnswer {
  readonly series: readonly { readonly labels: Labels; readonly value: number }[];
  /** `stats.samples.totalQueryableSamples`, when the server reports it (Prometheus does, Mimir does not). */
  readonly samples?: number;
}

const envelope = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion('status', [
    z.object({ status: z.literal('success'), data }),
    z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
  ]);

const labelSets = envelope(z.array(z.record(z.string(), z.string())));
const strings = envelope(z.array(z.string()).nullable());
const buildInfo = envelope(z.object({ version: z.string().optional(), application: z.string().optional() }).passthrough());
const metadata = envelope(z.record(z.string(), z.array(z.object({ type: z.string(), help: z.string() }).passthrough())));
const targets = envelope(
  z.object({
    activeTargets: z.array(z.object({ labels: z.record(z.string(), z.string()), scrapeInterval: z.string().optional() }).passthrough()),
  }),
);
const rules = envelope(z.object({ groups: z.array(z.object({ rules: z.array(z.object({ name: z.string(), type: z.string() })) })) }));
const sample = z.tuple([z.number(), z.string()]);
const query = envelope(
  z.object({
    resultType: z.string(),
    result: z.union([z.array(z.object({ metric: z.record(z.string(), z.string()), value: sample.optional() })), sample]),
    stats: z
      .object({ samples: z.object({ totalQueryableSamples: z.number() }).partial().optional() })
      .passthrough()
      .optional(),
  }),
);

/** Keeps a GET's URL under what proxies in front of Mimir and Prometheus accept. */
const maxQueryLength = 6000;

/** The evaluation timeout a query asks of the server: three quarters of the client's deadline, at least a second. */
const serverTimeout = (limits: HttpLimits): string => `${Math.max(1, Math.floor((limits.timeoutMs * 0.75) / 1000))}s`;

/** Prometheus durations as the targets API writes them (`15s`, `1m30s`). */
function durationOf(text: string | undefined): number | undefined {
  const seconds = text === undefined ? undefined : compoundSeconds(text);
  return seconds !== undefined && seconds > 0 ? seconds : undefined;
}

export class PrometheusClient {
  private readonly limits: HttpLimits;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly run: <T>(task: () => Promise<T>) => Promise<T>;
  /** Calls made, for the report and the benchmark. */
  calls = 0;

  constructor(readonly options: ServerOptions) {
    this.limits = options.limits ?? defaultServerLimits;
    this.headers = options.headers ?? {};
    this.run = limiter(options.concurrency ?? defaultConcurrency);
  }

  get url(): string {
    return this.options.url;
  }

  protected call(method: 'GET' | 'POST', path: string, params: URLSearchParams): Promise<HttpResponse> {
    const what = `${method} ${path}`;
    return this.run(async () => {
      this.calls += 1;
      const query = params.toString();
      return method === 'GET'
        ? httpRequest(joinUrl(this.url, `${path}${query ? `?${query}` : ''}`), { what, headers: this.headers }, this.limits)
        : httpRequest(
            joinUrl(this.url, path),
            { what, method, headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' }, body: query },
            this.limits,
          );
    });
  }

  /** The data of a success, or an HttpError naming the call; a JSON error answer becomes a QueryError for queries. */
  private async data<T>(
    shape: z.ZodType<{ status: 'success'; data: T } | { status: 'error'; errorType?: string; error?: string }>,
    method: 'GET' | 'POST',
    path: string,
    params: URLSearchParams,
  ): Promise<T> {
    const response = await this.call(method, path, params);
    const what = `${method} ${path}: HTTP ${response.status}`;
    if (response.status >= 400 && !response.text.trimStart().startsWith('{'))
      throw new HttpError(`${what}${response.text.trim() ? ` ${response.text.trim().split('\n')[0]!.slice(0, 200)}` : ''}`);
    const answer = answerOf(shape, response, what);
    if (answer.status === 'error') {
      const reason = answer.error ?? answer.errorType ?? 'error';
      if (path.endsWith('/query')) throw new QueryError(`${what}: ${reason}`, reason);
      throw new HttpError(`${what}: ${reason}`);
    }
    return answer.data;
  }

  /** `undefined` when the server has no such API (Mimir has no targets; a proxy may hide the rules). */
  private async optional<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof HttpError && /: HTTP (404|405|501)\b/.test(error.message)) return undefined;
      throw error;
    }
  }

  /** `version` of a Prometheus, `application` too for Mimir; also the reachability probe. */
  async buildInfo(): Promise<{ version?: string; application?: string }> {
    return (await this.optional(() => this.data(buildInfo, 'GET', '/api/v1/status/buildinfo', new URLSearchParams()))) ?? {};
  }

  /** The label sets of the series any of `matches` selects between `start` and `end` (Unix seconds). */
  async series(matches: readonly string[], start: number, end: number): Promise<Labels[]> {
    const params = new URLSearchParams({ start: String(start), end: String(end) });
    for (const match of matches) params.append('match[]', match);
    return this.data(labelSets, 'POST', '/api/v1/series', params);
  }

  /** Label names of the series `matches` selects. */
  async labelNames(matches: readonly string[], start: number, end: number): Promise<string[]> {
    const params = new URLSearchParams({ start: String(start), end: String(end) });
    for (const match of matches) params.append('match[]', match);
    return ((await this.data(strings, 'POST', '/api/v1/labels', params)) ?? []).sort();
  }

  /** Values of `label` among the series `matches` select; GET, the only method Mimir accepts here. */
  async labelValues(label: string, matches: readonly string[], start: number, end: number): Promise<string[]> {
    const values = new Set<string>();
    for (const chunk of matches.length === 0 ? [[]] : chunksWithin(matches, maxQueryLength)) {
      const params = new URLSearchParams({ start: String(start), end: String(end) });
      for (const match of chunk) params.append('match[]', match);
      for (const value of (await this.data(strings, 'GET', `/api/v1/label/${encodeURIComponent(label)}/values`, params)) ?? [])
        values.add(value);
    }
    return [...values].sort();
  }

  /** The types and help texts the targets give `metric` (several when targets disagree). */
  async metadata(metric: string): Promise<MetricMetadata[]> {
    const data = await this.data(metadata, 'GET', '/api/v1/metadata', new URLSearchParams({ metric }));
    return (data[metric] ?? []).map((entry) => ({ type: entry.type, help: entry.help }));
  }

  /** Active targets and their scrape intervals; undefined where there is no targets API (Mimir). */
  async targets(): Promise<Target[] | undefined> {
    const data = await this.optional(() => this.data(targets, 'GET', '/api/v1/targets', new URLSearchParams({ state: 'active' })));
    return data?.activeTargets.flatMap((target) => {
      const seconds = durationOf(target.scrapeInterval ?? target.labels.__scrape_interval__);
      return seconds === undefined ? [] : [{ labels: target.labels, scrapeIntervalSeconds: seconds }];
    });
  }

  /** Names the server's own recording rules record; undefined when it shows none (no rules API). */
  async recordedNames(): Promise<Set<string> | undefined> {
    const data = await this.optional(() => this.data(rules, 'GET', '/api/v1/rules', new URLSearchParams({ type: 'record' })));
    return (
      data && new Set(data.groups.flatMap((group) => group.rules.filter((rule) => rule.type === 'recording').map((rule) => rule.name)))
    );
  }

  /**
   * An instant query at `time`, with the samples it read when the server reports them. The
   * server gives up before the client's deadline, so a slow query is its own error (a QueryError),
   * not the end of the check.
   */
  async query(expr: string, time: number): Promise<QueryAnswer> {
    const params = new URLSearchParams({ query: expr, time: String(time), stats: 'all', timeout: serverTimeout(this.limits) });
    const data = await this.data(query, 'POST', '/api/v1/query', params);
    const series = data.resultType === 'vector' ? (data.result as { metric: Record<string, string>; value?: [number, string] }[]) : [];
    const samples = data.stats?.samples?.totalQueryableSamples;
    return {
      series: series.map((each) => ({
        labels: each.metric,
        value: Number(each.value?.[1] ?? Number.NaN),
      })),
      ...(samples !== undefined && { samples }),
    };
  }
}

/** `items` in consecutive groups whose joined length stays under `limit` (one item alone may exceed it). */
export function chunksWithin(items: readonly string[], limit: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const item of items) {
    if (current.length > 0 && length + item.length > limit) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(item);
    length += item.length + 10;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
