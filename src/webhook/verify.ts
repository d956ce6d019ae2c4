import { seconds } from '../model/duration.ts';
import { escapePromqlString, renderTemplate } from '../model/label-template.ts';
import type { CompiledPlaybook } from '../load/playbook-file.ts';
import type { ActionResult } from './actions/result.ts';
import { sleep } from '../process/deadline.ts';
import { exchange, failed } from '../process/http.ts';

type Verify = NonNullable<CompiledPlaybook['verify']>;

interface QueryResponse {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/** Enough for a verify query's result (they aggregate); a larger answer counts as an error. */
const maxAnswerBytes = 1024 * 1024;

/** The verify query for an alert with these labels: each `{{ $labels.x }}` its value as a PromQL string's contents. */
export const verifyQuery = (verify: Verify, labels: Readonly<Record<string, string>>): string =>
  renderTemplate(verify.query, labels, escapePromqlString);

/**
 * Polls the instant query until it returns a non-empty result (the alerting-rule notion of
 * true) or `within` has passed; query errors count as "not yet".
 */
export async function runVerify(
  verify: Verify,
  prometheus: string,
  labels: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<ActionResult> {
  const query = verifyQuery(verify, labels);
  // On the monotonic clock: a step of the wall clock neither ends the window early nor stretches it.
  const deadline = performance.now() + seconds(verify.within) * 1000;
  const interval = seconds(verify.interval) * 1000;
  let last = 'no poll';
  for (let polls = 1; ; polls += 1) {
    const started = performance.now();
    // Every poll gets at least 1 s to answer (a short interval on a busy Prometheus would
    // otherwise time out every time), one late in the window up to 1 s past `within`.
    last = await poll(prometheus, query, Math.max(Math.min(interval, deadline - started), 1000), signal);
    if (last === 'true') return { outcome: 'success', detail: `true after ${polls} poll${polls === 1 ? '' : 's'}` };
    if (signal.aborted) return { outcome: 'interrupted', detail: 'interrupted by shutdown' };
    const wait = Math.max(0, started + interval - performance.now());
    if (performance.now() + wait > deadline)
      return { outcome: 'failure', detail: `not true within ${verify.within} (${polls} polls, last: ${last}): ${query}` };
    await sleep(wait, signal);
  }
}

async function poll(prometheus: string, query: string, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const url = new URL('api/v1/query', prometheus.endsWith('/') ? prometheus : `${prometheus}/`);
  const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query }) };
  const answer = await exchange(url, init, { timeoutMs, maxBytes: maxAnswerBytes, signal });
  if (failed(answer)) return `error: ${answer.detail}`;
  if (answer.cut) return `error: answer larger than ${maxAnswerBytes} bytes`;
  let body: QueryResponse;
  try {
    body = JSON.parse(answer.body.toString('utf8')) as QueryResponse;
  } catch (error) {
    return `error: HTTP ${answer.status}: ${(error as Error).message}`;
  }
  if (body?.status !== 'success') return `error: ${body?.error ?? `HTTP ${answer.status}`}`;
  const result = body.data?.result;
  return Array.isArray(result) && result.length > 0 ? 'true' : 'empty result';
}
