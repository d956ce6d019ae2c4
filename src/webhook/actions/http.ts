import { readFile } from 'node:fs/promises';
import { seconds } from '../../model/duration.ts';
import { renderTemplate } from '../../model/label-template.ts';
import type { JsonValue } from '../../model/playbook.ts';
import type { CompiledAction } from '../../load/playbook-file.ts';
import { sleep } from '../../process/deadline.ts';
import { exchange, failed } from '../../process/http.ts';
import { tailBytes, type ActionResult } from './result.ts';

type HttpAction = Extract<CompiledAction, { kind: 'http' }>;
type Labels = Readonly<Record<string, string>>;

/** Retried: the endpoint may recover. Other statuses are the endpoint's final answer. */
const retryable = (status: number): boolean => status === 429 || status >= 500;

export async function runHttp(action: HttpAction, labels: Labels, signal: AbortSignal): Promise<ActionResult> {
  let request: { url: string; init: RequestInit };
  try {
    request = await buildRequest(action, labels);
  } catch (error) {
    return { outcome: 'refused', detail: (error as Error).message };
  }
  let last: ActionResult = { outcome: 'failure' };
  for (let attempt = 1; attempt <= action.retries + 1; attempt += 1) {
    if (attempt > 1) await sleep(seconds(action.backoff) * 1000 * 2 ** (attempt - 2), signal);
    if (signal.aborted) return { outcome: 'interrupted', detail: 'interrupted by shutdown' };
    // The audit keeps this much of the answer: reading more would only cost memory.
    const answer = await exchange(request.url, request.init, { timeoutMs: seconds(action.timeout) * 1000, maxBytes: tailBytes, signal });
    if (failed(answer)) {
      if (answer.outcome === 'interrupted') return { outcome: 'interrupted', detail: answer.detail };
      last = { outcome: answer.outcome, detail: `${answer.detail} (attempt ${attempt})` };
      continue;
    }
    const ok = answer.status >= 200 && answer.status < 300;
    last = {
      outcome: ok ? 'success' : 'failure',
      detail: `HTTP ${answer.status} after ${attempt} attempt${attempt === 1 ? '' : 's'}${answer.cut ? `; answer cut at ${tailBytes} bytes` : ''}`,
      stdout: answer.body.toString('utf8'),
    };
    if (ok || !retryable(answer.status)) return last;
  }
  return last;
}

/** Labels go into the URL percent-encoded and into the body as JSON strings: never as syntax. */
async function buildRequest(action: HttpAction, labels: Labels): Promise<{ url: string; init: RequestInit }> {
  const url = renderUrl(action.url, labels);
  const headers: Record<string, string> = {};
  for (const [name, source] of Object.entries(action.headers)) headers[name] = `${source.prefix ?? ''}${await readSecret(source)}`;
  const init: RequestInit = { method: action.method, headers, redirect: 'manual' };
  if (action.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(renderJson(action.body, labels));
  }
  return { url, init };
}

/** A path segment that URL parsing removes, with the one before it for "..": `.`, `..`, `%2e`, `.%2E`, … */
const dotSegment = /^(?:\.|%2e){1,2}$/i;

/**
 * The URL with each label value percent-encoded. Encoding leaves `.` and `..` as they are, and
 * the URL parser removes such segments (`/admin/../restart` is `/restart`): refused.
 */
export function renderUrl(template: string, labels: Labels): string {
  const url = renderTemplate(template, labels, encodeURIComponent);
  const path = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/, '').replace(/[?#].*$/s, '');
  if (path.split('/').some((segment) => dotSegment.test(segment)))
    throw new Error(`URL path has a "." or ".." segment after templating: ${url}`);
  return url;
}

function renderJson(value: JsonValue, labels: Labels): JsonValue {
  if (typeof value === 'string') return renderTemplate(value, labels, (text) => text);
  if (Array.isArray(value)) return value.map((item) => renderJson(item, labels));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderJson(item, labels)]));
}

/** Read at every run, so a rotated token takes effect without a restart. */
export async function readSecret(source: { env: string } | { file: string }): Promise<string> {
  if ('env' in source) {
    const value = process.env[source.env];
    if (value === undefined || value === '') throw new Error(`environment variable ${source.env} is not set`);
    return value;
  }
  const value = (await readFile(source.file, 'utf8')).trim();
  if (value === '') throw new Error(`${source.file} is empty`);
  return value;
}
