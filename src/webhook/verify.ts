import { seconds } from '../model/duration.ts';
import { escapePromqlString, renderTemplate } from '../model/label-template.ts';
import type { CompiledPlaybook } from '../load/playbook-file.ts';
import { sleep, type ActionResult } from './actions/result.ts';

type Verify = NonNullable<CompiledPlaybook['verify']>;

interface QueryResponse {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

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
  const query = renderTemplate(verify.query, labels, escapePromqlString);
  const deadline = Date.now() + seconds(verify.within) * 1000;
  const interval = seconds(verify.interval) * 1000;
  let last = 'no poll';
  for (let polls = 1; ; polls += 1) {
    const started = Date.now();
    last = await poll(prometheus, query, Math.min(interval, Math.max(deadline - started, 1)), signal);
    if (last === 'true') return { outcome: 'success', detail: `true after ${polls} poll${polls === 1 ? '' : 's'}` };
    if (signal.aborted) return { outcome: 'interrupted', detail: 'interrupted by shutdown' };
    const wait = Math.max(0, started + interval - Date.now());
    if (Date.now() + wait > deadline)
      return { outcome: 'failure', detail: `not true within ${verify.within} (${polls} polls, last: ${last}): ${query}` };
    await sleep(wait, signal);
  }
}

async function poll(prometheus: string, query: string, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const url = new URL('api/v1/query', prometheus.endsWith('/') ? prometheus : `${prometheus}/`);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    const body = (await response.json()) as QueryResponse;
    if (body.status !== 'success') return `error: ${body.error ?? `HTTP ${response.status}`}`;
    const result = body.data?.result;
    return Array.isArray(result) && result.length > 0 ? 'true' : 'empty result';
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}
