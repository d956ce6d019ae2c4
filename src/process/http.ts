import { formatDuration } from '../model/duration.ts';
import { Deadline } from './deadline.ts';

// Every HTTP call monforge makes (apply, backtest, diff --prometheus, and the webhook's
// actions, verify polls and escalations) goes through `exchange`: a deadline that covers the
// whole exchange and cannot be collected (process/deadline.ts), and a limit on the bytes read.
// Commands call `httpRequest`, which turns every failure into one line naming the call.

export interface HttpLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export const defaultHttpLimits: HttpLimits = { timeoutMs: 10_000, maxBytes: 16 * 1024 * 1024 };

export interface Answer {
  readonly status: number;
  /** At most `maxBytes` of the body. */
  readonly body: Buffer;
  /** The body went on past `maxBytes`; the rest was not read. */
  readonly cut: boolean;
}

export interface CallFailure {
  readonly outcome: 'timeout' | 'interrupted' | 'failure';
  /** `no answer within 10s`, `interrupted by shutdown`, or the error and its cause (`fetch failed: connect ECONNREFUSED …`). */
  readonly detail: string;
  /** The system error code of the cause (`ECONNREFUSED`), when there is one. */
  readonly code?: string;
}

/**
 * One request: the deadline covers the answer's body too, and at most `maxBytes` of the body
 * are read before the connection is dropped, so neither a slow nor a huge answer can hold the
 * caller or fill the memory. `signal` (a shutdown) interrupts it.
 */
export async function exchange(
  url: string | URL,
  init: RequestInit,
  limits: HttpLimits & { readonly signal?: AbortSignal },
): Promise<Answer | CallFailure> {
  const deadline = new Deadline(limits.timeoutMs, limits.signal);
  try {
    const response = await fetch(url, { ...init, signal: deadline.signal });
    return { status: response.status, ...(await readAtMost(response, limits.maxBytes)) };
  } catch (error) {
    const reason = deadline.reason;
    if (reason === 'timeout') return { outcome: reason, detail: `no answer within ${formatDuration(limits.timeoutMs / 1000)}` };
    if (reason) return { outcome: reason, detail: 'interrupted by shutdown' };
    const cause = (error as { cause?: { message?: string; code?: string } }).cause;
    return {
      outcome: 'failure',
      detail: `${(error as Error).message}${cause?.message ? `: ${cause.message}` : ''}`,
      ...(cause?.code ? { code: cause.code } : {}),
    };
  } finally {
    deadline.clear();
  }
}

export const failed = (result: Answer | CallFailure): result is CallFailure => 'outcome' in result;

async function readAtMost(response: Response, maxBytes: number): Promise<{ body: Buffer; cut: boolean }> {
  if (!response.body) return { body: Buffer.alloc(0), cut: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { body: Buffer.concat(chunks, size), cut: false };
    if (size + value.length > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      // Cancelling the body closes the connection instead of reading the rest of it.
      reader.cancel().catch(() => {});
      return { body: Buffer.concat(chunks, maxBytes), cut: true };
    }
    chunks.push(value);
    size += value.length;
  }
}

export interface HttpCall {
  /** Names the call in errors: `Grafana GET /api/folders/monforge-web`. */
  readonly what: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly text: string;
}

/** A failed call: unreachable, too slow, too large, or an unexpected status. One line. */
export class HttpError extends Error {
  override name = 'HttpError';
}

/** A command's call: the answer in full, or an HttpError naming the call. */
export async function httpRequest(url: string, call: HttpCall, limits: HttpLimits = defaultHttpLimits): Promise<HttpResponse> {
  const answer = await exchange(
    url,
    // A redirect would carry the token elsewhere; the APIs answer directly.
    { method: call.method ?? 'GET', headers: call.headers, body: call.body, redirect: 'manual' },
    limits,
  );
  if (failed(answer)) {
    if (answer.outcome === 'failure')
      throw new HttpError(`${call.what}: cannot reach ${new URL(url).origin}: ${answer.code ?? answer.detail}`);
    throw new HttpError(`${call.what}: ${answer.detail}`);
  }
  if (answer.cut) throw new HttpError(`${call.what}: response over the limit of ${limits.maxBytes} bytes`);
  return { status: answer.status, text: answer.body.toString('utf8') };
}

/** Throws unless the status is one of `expected`, with the start of the body as the reason. */
export function expectStatus(response: HttpResponse, what: string, ...expected: number[]): HttpResponse {
  if (expected.includes(response.status)) return response;
  const reason = response.text.trim().split('\n')[0]?.slice(0, 300) ?? '';
  throw new HttpError(`${what}: HTTP ${response.status}${reason ? ` ${reason}` : ''}`);
}

/** JSON from a response, or an HttpError naming the call. */
export function jsonOf<T>(response: HttpResponse, what: string): T {
  try {
    return JSON.parse(response.text) as T;
  } catch {
    throw new HttpError(`${what}: the answer is not JSON`);
  }
}

export const joinUrl = (base: string, path: string): string => `${base.replace(/\/+$/, '')}${path}`;

/** A JSON answer checked against `shape`, or an HttpError naming the call and the first mismatch. */
export function answerOf<T>(
  shape: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  response: HttpResponse,
  what: string,
): T {
  const parsed = shape.safeParse(jsonOf(response, what));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new HttpError(`${what}: unexpected answer (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})`);
}
