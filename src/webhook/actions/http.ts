import { readFile } from 'node:fs/promises';
import { seconds } from '../../model/duration.ts';
import { renderTemplate } from '../../model/label-template.ts';
import type { JsonValue } from '../../model/playbook.ts';
import type { CompiledAction } from '../../load/playbook-file.ts';
import { sleep, Tail, type ActionResult } from './result.ts';

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
  for (let attempt = 0; attempt <= action.retries; attempt += 1) {
    if (attempt > 0) await sleep(seconds(action.backoff) * 1000 * 2 ** (attempt - 1), signal);
    if (signal.aborted) return { ...last, outcome: 'interrupted', detail: 'interrupted by shutdown' };
    const timeout = AbortSignal.timeout(seconds(action.timeout) * 1000);
    try {
      const response = await fetch(request.url, { ...request.init, signal: AbortSignal.any([signal, timeout]) });
      const body = new Tail();
      body.push(Buffer.from(await response.arrayBuffer()));
      last = {
        outcome: response.ok ? 'success' : 'failure',
        detail: `HTTP ${response.status} after ${attempt + 1} attempt${attempt === 0 ? '' : 's'}`,
        stdout: body.toString(),
      };
      if (response.ok || !retryable(response.status)) return last;
    } catch (error) {
      if (signal.aborted) return { outcome: 'interrupted', detail: 'interrupted by shutdown' };
      last = timeout.aborted
        ? { outcome: 'timeout', detail: `no answer within ${action.timeout} (attempt ${attempt + 1})` }
        : { outcome: 'failure', detail: `${(error as Error).message}${causeOf(error)} (attempt ${attempt + 1})` };
    }
  }
  return last;
}

/** Labels go into the URL percent-encoded and into the body as JSON strings: never as syntax. */
async function buildRequest(action: HttpAction, labels: Labels): Promise<{ url: string; init: RequestInit }> {
  const headers: Record<string, string> = {};
  for (const [name, source] of Object.entries(action.headers)) headers[name] = `${source.prefix ?? ''}${await readSecret(source)}`;
  const init: RequestInit = { method: action.method, headers, redirect: 'manual' };
  if (action.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(renderJson(action.body, labels));
  }
  return { url: renderTemplate(action.url, labels, encodeURIComponent), init };
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

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string } }).cause?.message;
  return cause ? `: ${cause}` : '';
}
