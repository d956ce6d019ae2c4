import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { bearerCheck } from './auth.ts';
import type { Logger } from './log.ts';
import type { WebhookMetrics } from './metrics.ts';
import { parsePayload, type Payload } from './payload.ts';

export const maxBodyBytes = 1024 * 1024;

export interface Handlers {
  readonly token: string;
  readonly metrics: WebhookMetrics;
  readonly log: Logger;
  /** False before start-up finished and once shutdown began. */
  readonly ready: () => boolean;
  readonly accept: (payload: Payload) => 'accepted' | 'full';
}

/** What every request needs, built once per server. */
interface Context {
  readonly handlers: Handlers;
  readonly authorized: (header: string | undefined) => boolean;
  /** Logs an unexpected error and answers 500 if nothing was sent yet. */
  readonly fail: (response: ServerResponse, error: Error) => void;
}

const paths = new Set(['/alerts', '/healthz', '/readyz', '/metrics']);
const acceptedText = '{"status":"accepted"}';
const acceptedHeaders = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(acceptedText) };
const acceptedLabels = { code: '202' };

/**
 * POST /alerts answers at once: 202 when queued (or already handled), 503 when the queue is
 * full or shutting down (Alertmanager retries), 4xx for requests that must be fixed.
 *
 * The request path allocates as little as it can: no promise or closure per request beyond
 * the body's listeners, the 202 reply and its headers prepared once.
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
  if (path === '/readyz' && get)
    return handlers.ready() ? reply(response, 200, { status: 'ready' }) : reply(response, 503, { status: 'not ready' });
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
  if (paths.has(path)) return reply(response, 405, { error: `method ${request.method} not allowed` });
  reply(response, 404, { error: 'not found' });
}

function receiveAlerts(request: IncomingMessage, response: ServerResponse, context: Context): void {
  if (!context.authorized(request.headers.authorization))
    return answer(request, response, context, 401, { error: 'missing or wrong bearer token' }, { 'www-authenticate': 'Bearer' });
  const contentType = request.headers['content-type'];
  if (contentType !== 'application/json' && (contentType ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/json') {
    return answer(request, response, context, 415, { error: 'Content-Type must be application/json' });
  }
  if (Number(request.headers['content-length'] ?? 0) > maxBodyBytes) return tooLarge(request, response, context);
  // The body, until it exceeds the limit. The rest is not read; the request is not destroyed
  // either, so the 413 reply still reaches the client before the socket closes.
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= maxBodyBytes) return void chunks.push(chunk);
    settled = true;
    request.removeAllListeners('data').pause();
    tooLarge(request, response, context);
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
  if (!handlers.ready()) return answer(request, response, context, 503, { error: 'shutting down' }, { 'retry-after': '5' });
  if (handlers.accept(parsed) === 'full') return answer(request, response, context, 503, { error: 'queue full' }, { 'retry-after': '5' });
  handlers.metrics.requests.inc(acceptedLabels);
  response.writeHead(202, acceptedHeaders);
  response.end(acceptedText);
}

function tooLarge(request: IncomingMessage, response: ServerResponse, context: Context): void {
  answer(request, response, context, 413, { error: `body larger than ${maxBodyBytes} bytes` }, { connection: 'close' });
}

/** Any answer but 202: counted, logged when the client must fix the request. */
function answer(
  request: IncomingMessage,
  response: ServerResponse,
  context: Context,
  code: number,
  body: { error: string },
  headers: Record<string, string> = {},
): void {
  context.handlers.metrics.requests.inc({ code: String(code) });
  if (code >= 400 && code !== 503)
    context.handlers.log('warn', 'request rejected', { code, ...body, remote: request.socket.remoteAddress });
  reply(response, code, body, headers);
}

function reply(response: ServerResponse, code: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}
