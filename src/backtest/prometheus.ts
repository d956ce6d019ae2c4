import { z } from 'zod';
import { answerOf, type HttpLimits, httpRequest, joinUrl } from '../process/http.ts';
import type { Labels } from '../reader/index.ts';

// The Prometheus HTTP API as the backtest uses it: POSTed queries (an alert with its recording
// rules inlined is long), each call with a deadline over the whole exchange, a size limit on the
// answer and a one-line error naming the call (src/process/http.ts).

export interface RangeSeries {
  readonly labels: Labels;
  /** Evaluation times (seconds) at which the series had a value. */
  readonly times: readonly number[];
}

export interface PrometheusApi {
  readonly url: string;
  queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSeries[]>;
  /** Instant query: the label sets of the result. */
  query(expr: string, time: number): Promise<Labels[]>;
}

/** An answer Prometheus gave as an error (`errorType` and `error`), not a transport failure. */
export class PrometheusQueryError extends Error {
  override name = 'PrometheusQueryError';
  constructor(
    message: string,
    readonly errorType: string,
    readonly reason: string,
  ) {
    super(message);
  }

  /** The query needs more samples than `--query.max-samples`, or more points than 11,000 per series: a smaller range may pass. */
  get tooLarge(): boolean {
    return /too many samples|maximum resolution|exceeded maximum/i.test(this.reason);
  }
}

const value = z.tuple([z.number(), z.string()]);
const answer = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.object({
      resultType: z.enum(['matrix', 'vector', 'scalar', 'string']),
      result: z.union([
        z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(value).optional(), value: value.optional() })),
        value,
      ]),
    }),
  }),
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
]);

export const defaultPrometheusLimits: HttpLimits = { timeoutMs: 120_000, maxBytes: 256 * 1024 * 1024 };

export function prometheusApi(url: string, limits: HttpLimits = defaultPrometheusLimits): PrometheusApi {
  const call = async (path: '/api/v1/query_range' | '/api/v1/query', form: Record<string, string>) => {
    const what = `Prometheus POST ${path}`;
    const response = await httpRequest(
      joinUrl(url, path),
      {
        what,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      },
      limits,
    );
    // Prometheus answers errors as JSON too (400 bad_data, 422 execution, 503 timeout).
    const parsed = answerOf(answer, response, `${what}: HTTP ${response.status}`);
    if (parsed.status === 'error') {
      const reason = parsed.error ?? `HTTP ${response.status}`;
      throw new PrometheusQueryError(`${what}: ${parsed.errorType ?? 'error'}: ${reason}`, parsed.errorType ?? '', reason);
    }
    return parsed.data;
  };
  return {
    url,
    async queryRange(expr, start, end, step) {
      const data = await call('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) });
      if (data.resultType !== 'matrix')
        throw new PrometheusQueryError(
          `Prometheus POST /api/v1/query_range: expected a matrix, got a ${data.resultType}`,
          'bad_data',
          data.resultType,
        );
      return (data.result as { metric: Record<string, string>; values?: [number, string][] }[]).map((series) => ({
        labels: series.metric,
        times: (series.values ?? []).map(([time]) => time),
      }));
    },
    async query(expr, time) {
      const data = await call('/api/v1/query', { query: expr, time: String(time) });
      if (data.resultType === 'scalar') return [{}];
      if (data.resultType !== 'vector') return [];
      return (data.result as { metric: Record<string, string> }[]).map((series) => series.metric);
    },
  };
}
