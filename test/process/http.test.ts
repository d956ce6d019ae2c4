import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/processes.ts';
import { exchange, httpRequest } from '../../src/process/http.ts';

// Every call monforge makes has a deadline over the whole exchange, a limit on what it reads,
// and fails in one line naming the call.

let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/large') response.end('x'.repeat(2 * 1024 * 1024));
    else if (request.url === '/stalls')
      response.writeHead(200).write('{"partial":'); // never ends
    else response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('bounded HTTP calls', () => {
  it('read an answer within the limits', async () => {
    expect(await httpRequest(`${url}/`, { what: 'test GET /' })).toEqual({ status: 200, text: 'ok' });
  });

  it('stop reading past the size limit', async () => {
    await expect(httpRequest(`${url}/large`, { what: 'test GET /large' }, { timeoutMs: 5000, maxBytes: 1024 * 1024 })).rejects.toThrow(
      'test GET /large: response over the limit of 1048576 bytes',
    );
  });

  it('give up on a body that never ends at the deadline', async () => {
    const started = Date.now();
    await expect(httpRequest(`${url}/stalls`, { what: 'test GET /stalls' }, { timeoutMs: 300, maxBytes: 1024 })).rejects.toThrow(
      'test GET /stalls: no answer within 300ms',
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('name the host it cannot reach', async () => {
    const port = await freePort();
    await expect(httpRequest(`http://127.0.0.1:${port}/x`, { what: 'test GET /x' })).rejects.toThrow(
      `test GET /x: cannot reach http://127.0.0.1:${port}: ECONNREFUSED`,
    );
  });

  it('keep the start of an answer past the limit, cut, for the audit', async () => {
    const answer = await exchange(`${url}/large`, {}, { timeoutMs: 5000, maxBytes: 10 });
    expect(answer).toEqual({ status: 200, body: Buffer.from('x'.repeat(10)), cut: true });
  });

  it('stop at once on a shutdown, which wins over the deadline', async () => {
    const shutdown = new AbortController();
    const started = Date.now();
    const pending = exchange(`${url}/stalls`, {}, { timeoutMs: 5000, maxBytes: 1024, signal: shutdown.signal });
    setTimeout(() => shutdown.abort(), 100);
    expect(await pending).toEqual({ outcome: 'interrupted', detail: 'interrupted by shutdown' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
