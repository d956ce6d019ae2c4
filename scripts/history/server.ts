// A real prometheus serving a backfilled data directory: no scrape configs, retention long
// enough for any synthetic past, no compaction (the backfilled blocks stay as written), on a
// free port of 127.0.0.1. Queries have a deadline and a size limit; stop() always ends the child.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, Supervisor, waitForHttp } from '../stack/processes.ts';

export interface ServerOptions {
  readonly dataDir: string;
  /** Where the (empty) config file goes. */
  readonly workDir: string;
  /** Default 50 M, Prometheus' own; raise it to measure queries that would fail. */
  readonly maxSamples?: number;
  readonly readyTimeoutMs?: number;
}

export interface QueryStats {
  /** Samples the query touched (Prometheus' `totalQueryableSamples`). */
  readonly samples: number;
  /** Wall time of the HTTP round trip, ms. */
  readonly wallMs: number;
}

export type Sample = { readonly metric: Record<string, string>; readonly value: number };

export interface HistoryServer {
  readonly url: string;
  /** Instant query at `time` (Unix seconds) with `stats=all`. */
  query(expr: string, time: number): Promise<{ result: Sample[]; stats: QueryStats }>;
  /** Range query; values per series in time order (NaN kept). */
  queryRange(
    expr: string,
    start: number,
    end: number,
    step: number,
  ): Promise<{ metric: Record<string, string>; values: [number, number][] }[]>;
  stop(): Promise<void>;
}

const maxResponseBytes = 64 * 1024 * 1024;

/** GET with a deadline whose timer is held until the body is read, and a size limit on the body. */
async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += (chunk as Buffer).length;
      if (size > maxResponseBytes) throw new Error(`answer larger than ${maxResponseBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status: string; error?: string; data?: unknown };
    if (body.status !== 'success') throw new Error(body.error ?? `HTTP ${response.status}`);
    return body.data;
  } catch (error) {
    throw new Error(`${url.split('?')[0]}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

const parseValue = (text: string): number => (text === 'NaN' ? Number.NaN : Number(text));

/** Starts prometheus on `dataDir`; resolves once it answers /-/ready. */
export async function startPrometheus(options: ServerOptions): Promise<HistoryServer> {
  await mkdir(options.workDir, { recursive: true });
  const config = path.join(options.workDir, 'prometheus.yml');
  await writeFile(config, 'global:\n  evaluation_interval: 1m\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let failure: string | undefined;
  const supervisor = new Supervisor((child, code) => {
    failure = `prometheus exited (${code}): ${child.output()}`;
  });
  const child = supervisor.start('prometheus', 'prometheus', [
    `--config.file=${config}`,
    `--storage.tsdb.path=${options.dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=36500d',
    '--storage.tsdb.min-block-duration=2h',
    '--storage.tsdb.max-block-duration=2h',
    `--query.max-samples=${options.maxSamples ?? 50_000_000}`,
    '--query.timeout=10m',
  ]);
  try {
    await waitForHttp(`${url}/-/ready`, child, options.readyTimeoutMs ?? 120_000);
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
  const alive = (): void => {
    if (failure) throw new Error(failure);
  };
  return {
    url,
    async query(expr, time) {
      alive();
      const started = performance.now();
      const data = (await getJson(
        `${url}/api/v1/query?${new URLSearchParams({ query: expr, time: String(time), stats: 'all' })}`,
        15 * 60_000,
      )) as {
        resultType: string;
        result: { metric: Record<string, string>; value: [number, string] }[] | [number, string];
        stats: { samples: { totalQueryableSamples: number } };
      };
      const wallMs = performance.now() - started;
      const result =
        data.resultType === 'scalar'
          ? [{ metric: {}, value: parseValue((data.result as [number, string])[1]) }]
          : (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((each) => ({
              metric: each.metric,
              value: parseValue(each.value[1]),
            }));
      return { result, stats: { samples: data.stats.samples.totalQueryableSamples, wallMs } };
    },
    async queryRange(expr, start, end, step) {
      alive();
      const data = (await getJson(
        `${url}/api/v1/query_range?${new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(step) })}`,
        15 * 60_000,
      )) as { result: { metric: Record<string, string>; values: [number, string][] }[] };
      return data.result.map((each) => ({ metric: each.metric, values: each.values.map(([time, value]) => [time, parseValue(value)]) }));
    },
    stop: () => supervisor.stop(),
  };
}
