// Every HTTP call a command makes (apply, backtest, diff --prometheus): a deadline that covers
// the whole exchange (the timer is held here until the body is read, so it cannot be lost), a
// limit on the bytes read, and failures as one line that names the call. (The webhook receiver
// has its own, webhook/http-call.ts: it keeps a cut answer for its audit and stops on shutdown.)

export interface HttpLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export const defaultHttpLimits: HttpLimits = { timeoutMs: 10_000, maxBytes: 16 * 1024 * 1024 };

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

export async function httpRequest(url: string, call: HttpCall, limits: HttpLimits = defaultHttpLimits): Promise<HttpResponse> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, limits.timeoutMs);
  try {
    const response = await fetch(url, {
      method: call.method ?? 'GET',
      headers: call.headers,
      body: call.body,
      signal: controller.signal,
      // A redirect would carry the token elsewhere; the APIs answer directly.
      redirect: 'manual',
    });
    return { status: response.status, text: await readLimited(response, limits.maxBytes, call.what, controller) };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (timedOut) throw new HttpError(`${call.what}: no answer within ${limits.timeoutMs / 1000}s`);
    const cause = (error as { cause?: { message?: string; code?: string } }).cause;
    throw new HttpError(`${call.what}: cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

async function readLimited(response: Response, maxBytes: number, what: string, controller: AbortController): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      controller.abort();
      throw new HttpError(`${what}: response over the limit of ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
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
