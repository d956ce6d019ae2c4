import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { bearerCheck } from './auth.ts';
import type { Logger } from './log.ts';
import type { WebhookMetrics } from './metrics.ts';
import { payloadError, payloadSchema, type Payload } from './payload.ts';

export const maxBodyBytes = 1024 * 1024;

export interface Handlers {
  readonly token: string;
  readonly metrics: WebhookMetrics;
  readonly log: Logger;
  /** False before start-up finished and once shutdown began. */
  readonly ready: () => boolean;
  readonly accept: (payload: Payload) => 'accepted' | 'full';
}

/**
 * POST /alerts answers at once: 202 when queued (or already handled), 503 when the queue is
 * full or shutting down (Alertmanager retries), 4xx for requests that must be fixed.
 */
export function webhookServer(handlers: Handlers): Server {
  const authorized = bearerCheck(handlers.token);
  return createServer({ requestTimeout: 30_000 }, (request, response) => {
    route(request, response, handlers, authorized).catch((error: Error) => {
      handlers.log('error', 'request failed', { error: error.stack });
      if (!response.headersSent) reply(response, 500, { error: 'internal error' });
    });
  });
}

type Authorized = (header: string | undefined) => boolean;

async function route(request: IncomingMessage, response: ServerResponse, handlers: Handlers, authorized: Authorized): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  const get = request.method === 'GET' || request.method === 'HEAD';
  if (path === '/alerts' && request.method === 'POST') return receiveAlerts(request, response, handlers, authorized);
  if (path === '/healthz' && get) return reply(response, 200, { status: 'ok' });
  if (path === '/readyz' && get) return handlers.ready() ? reply(response, 200, { status: 'ready' }) : reply(response, 503, { status: 'not ready' });
  if (path === '/metrics' && get) {
    response.writeHead(200, { 'content-type': handlers.metrics.registry.contentType });
    response.end(await handlers.metrics.registry.metrics());
    return;
  }
  if (['/alerts', '/healthz', '/readyz', '/metrics'].includes(path ?? '')) return reply(response, 405, { error: `method ${request.method} not allowed` });
  reply(response, 404, { error: 'not found' });
}

async function receiveAlerts(request: IncomingMessage, response: ServerResponse, handlers: Handlers, authorized: Authorized): Promise<void> {
  const answer = (code: number, body: object, headers: Record<string, string> = {}): void => {
    handlers.metrics.requests.inc({ code: String(code) });
    if (code >= 400 && code !== 503) handlers.log('warn', 'request rejected', { code, ...body, remote: request.socket.remoteAddress });
    reply(response, code, body, headers);
  };
  if (!authorized(request.headers.authorization)) return answer(401, { error: 'missing or wrong bearer token' }, { 'www-authenticate': 'Bearer' });
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') return answer(415, { error: 'Content-Type must be application/json' });
  const body = await readBody(request);
  if (body === undefined) return answer(413, { error: `body larger than ${maxBodyBytes} bytes` }, { connection: 'close' });
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return answer(400, { error: `invalid JSON: ${(error as Error).message}` });
  }
  const parsed = payloadSchema.safeParse(data);
  if (!parsed.success) return answer(400, { error: payloadError(parsed.error) });
  if (!handlers.ready()) return answer(503, { error: 'shutting down' }, { 'retry-after': '5' });
  if (handlers.accept(parsed.data) === 'full') return answer(503, { error: 'queue full' }, { 'retry-after': '5' });
  answer(202, { status: 'accepted' });
}

/**
 * The body, or undefined as soon as it exceeds the limit. The rest is not read; the request
 * is not destroyed either, so the 413 reply still reaches the client before the socket closes.
 */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > maxBodyBytes) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBodyBytes) return void chunks.push(chunk);
      request.off('data', onData).pause();
      resolve(undefined);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, code: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}
