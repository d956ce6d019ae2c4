import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { bearerCheck } from './auth.ts';
import type { Logger } from './log.ts';
import type { WebhookMetrics } from './metrics.ts';
import { parsePayload, type Payload } from './payload.ts';
import type { Verdict } from './receiver.ts';

export const maxBodyBytes = 1024 * 1024;
/**
 * The rest of a body over the limit is read and dropped up to this size, so that a client that
 * sends all of it before reading gets the 413 rather than a reset connection.
 */
const discardBytes = 16 * maxBodyBytes;

export interface Handlers {
  readonly token: string;
  readonly metrics: WebhookMetrics;
  readonly log: Logger;
  /** Why no alerts are accepted now ('shutting down', …), or undefined when they are. */
  readonly unavailable: () => string | undefined;
  readonly accept: (payload: Payload) => Verdict | Promise<Verdict>;
}

/** What every request needs, built once per server. */
interface Context {
  readonly handlers: Handlers;
  readonly authorized: (header: string | undefined, connection: object) => boolean;
  /** Logs an unexpected error and answers 500 if nothing was sent yet. */
  readonly fail: (response: ServerResponse, error: Error) => void;
}

const paths = new Set(['/alerts', '/healthz', '/readyz', '/metrics']);
const acceptedText = '{"status":"accepted"}';
const acceptedHeaders = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(acceptedText) };
const acceptedLabels = { code: '202' };

/**
 * POST /alerts answers 202 once what it queued is on disk (what did not fit in the queue is
 * deferred to a re-delivery), 503 when the state cannot be written or shutting down
 * (Alertmanager retries), 4xx for requests that must be fixed.
 *
 * The request path allocates as little as it can: no promise or closure per request beyond
 * the body's listeners (and the wait for the disk when there are new episodes), the 202 reply
 * and its headers prepared once.
 */
export function webhookServer(handlers: Handlers): Server {
  const context: Context = {
    handlers,
    authorized: bearerCheck(handlers.token),
    fail: (response, error) => {
      handlers.log('error', 'request failed', { error: error.stack });
      if (!response.headersSent) reply(response, 500, { error: 'internal error' });
    },
  };
  return createServer({ requestTimeout: 30_000 }, (request, response) => {
    try {
      route(request, response, context);
    } catch (error) {
      context.fail(response, error as Error);
    }
  });
}

function route(request: IncomingMessage, response: ServerResponse, context: Context): void {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const { handlers } = context;
  if (path === '/alerts' && request.method === 'POST') return receiveAlerts(request, response, context);
  const get = request.method === 'GET' || request.method === 'HEAD';
  if (path === '/healthz' && get) return reply(response, 200, { status: 'ok' });
  if (path === '/readyz' && get) {
    const reason = handlers.unavailable();
    return reason ? reply(response, 503, { status: 'not ready', reason }) : reply(response, 200, { status: 'ready' });
  }
  if (path === '/metrics' && get) {
    handlers.metrics.registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': handlers.metrics.registry.contentType });
        response.end(text);
      },
      (error: Error) => context.fail(response, error),
    );
    return;
  }
  const code = paths.has(path) ? 405 : 404;
  handlers.metrics.requests.inc({ code: String(code) });
  refuse(request, response, code, { error: code === 405 ? `method ${request.method} not allowed` : 'not found' });
}

/** The headers are checked before the body is read: a refused request costs no more than the limit. */
function receiveAlerts(request: IncomingMessage, response: ServerResponse, context: Context): void {
  if (!context.authorized(request.headers.authorization, request.socket))
    return answer(request, response, context, 401, { error: 'missing or wrong bearer token' }, { 'www-authenticate': 'Bearer' });
  const contentType = request.headers['content-type'];
  if (contentType !== 'application/json' && (contentType ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/json') {
    return answer(request, response, context, 415, { error: 'Content-Type must be application/json' });
  }
  if (Number(request.headers['content-length'] ?? 0) > maxBodyBytes) return tooLarge(request, response, context, 0);
  // The body, until it exceeds the limit; then 413 at once (`refuse` reads and drops the rest).
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  request.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size <= maxBodyBytes) return void chunks.push(chunk);
    settled = true;
    chunks.length = 0;
    tooLarge(request, response, context, size);
  });
  request.on('end', () => {
    if (settled) return;
    settled = true;
    try {
      received(request, response, context, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    } catch (error) {
      context.fail(response, error as Error);
    }
  });
  request.on('error', (error) => {
    if (settled) return;
    settled = true;
    context.fail(response, error);
  });
}

function received(request: IncomingMessage, response: ServerResponse, context: Context, body: Buffer): void {
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return answer(request, response, context, 400, { error: `invalid JSON: ${(error as Error).message}` });
  }
  const parsed = parsePayload(data);
  if (typeof parsed === 'string') return answer(request, response, context, 400, { error: parsed });
  const { handlers } = context;
  const unavailable = handlers.unavailable();
  if (unavailable) return answer(request, response, context, 503, { error: unavailable }, { ...retryLater, connection: 'close' });
  const verdict = handlers.accept(parsed);
  if (typeof verdict === 'string') return answerVerdict(request, response, context, verdict);
  verdict.then(
    (later) => answerVerdict(request, response, context, later),
    (error: Error) => context.fail(response, error),
  );
}

const retryLater = { 'retry-after': '5' };

function answerVerdict(request: IncomingMessage, response: ServerResponse, context: Context, verdict: Verdict): void {
  if (verdict === 'unavailable')
    return answer(request, response, context, 503, { error: context.handlers.unavailable() ?? stateUnwritable }, retryLater);
  context.handlers.metrics.requests.inc(acceptedLabels);
  response.writeHead(202, acceptedHeaders);
  response.end(acceptedText);
}

/** Why a notification is answered 503 while the state directory cannot be written. */
export const stateUnwritable = 'the state directory cannot be written';
/** Why a notification is answered 503 while writes to the state directory hang. */
export const stateStalled = 'the state directory is stalled (writes slower than --disk-timeout)';

/** 413 once `read` bytes of the body were read: the rest is dropped up to `discardBytes` in all. */
function tooLarge(request: IncomingMessage, response: ServerResponse, context: Context, read: number): void {
  answer(request, response, context, 413, { error: `body larger than ${maxBodyBytes} bytes` }, {}, discardBytes - read);
}

/**
 * Any answer but 202: counted, logged when the client must fix the request. An answer sent
 * before the body was read to its end closes the connection (see `refuse`).
 */
function answer(
  request: IncomingMessage,
  response: ServerResponse,
  context: Context,
  code: number,
  body: { error: string },
  headers: Record<string, string> = {},
  dropBytes = maxBodyBytes,
): void {
  context.handlers.metrics.requests.inc({ code: String(code) });
  if (code >= 400 && code !== 503)
    context.handlers.log('warn', 'request rejected', { code, ...body, remote: request.socket.remoteAddress });
  if (request.complete) reply(response, code, body, headers);
  else refuse(request, response, code, body, headers, dropBytes);
}

/**
 * Answers a request whose body is not wanted, at once, and closes the connection. A client that
 * sends its whole body before reading the answer would meet a reset connection: the rest of the
 * body is read and dropped while it fits in `dropBytes`, then the connection is closed. A body
 * declared larger, or growing past it, is cut off: it is never read to its end.
 */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  code: number,
  body: object,
  headers: Record<string, string> = {},
  dropBytes = maxBodyBytes,
): void {
  const text = JSON.stringify(body);
  response.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
    connection: 'close',
  });
  request.on('error', () => {}); // the client gave up: nothing left to answer
  if (request.complete || Number(request.headers['content-length'] ?? 0) > dropBytes) return void response.end(text);
  response.write(text);
  let dropped = 0;
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > dropBytes) request.destroy();
  });
  request.on('end', () => response.end());
}

function reply(response: ServerResponse, code: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}
