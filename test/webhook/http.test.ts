import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlaybook } from '../../src/index.ts';
import { alert, payload, scratch, startReceiver, type Receiver } from './harness.ts';

const note = definePlaybook({
  name: 'note',
  match: { alertname: 'ApiDown' },
  actions: [{ kind: 'log', name: 'say', message: 'restart {{ $labels.service }}' }],
  onFailure: { escalate: false },
});
const firing = payload([alert({ alertname: 'ApiDown', service: 'api' })]);

describe('POST /alerts', () => {
  let receiver: Receiver;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const dir = await scratch();
    cleanup = dir.cleanup;
    receiver = await startReceiver(dir.dir, [note]);
  });
  afterAll(async () => {
    await receiver.shutdown();
    await cleanup();
  });

  it('answers 401 without the bearer token or with a wrong one, 202 with the right one', async () => {
    const none = await receiver.post(firing, { authorization: '' });
    expect([none.status, none.headers.get('www-authenticate'), await none.json()]).toEqual([
      401,
      'Bearer',
      { error: 'missing or wrong bearer token' },
    ]);
    expect((await receiver.post(firing, { authorization: 'Bearer s3cret-tokeN' })).status).toBe(401);
    expect((await receiver.post(firing, { authorization: 'Bearer s3cret-token-and-more' })).status).toBe(401);
    expect((await receiver.post(firing, { authorization: 'Basic czNjcmV0LXRva2Vu' })).status).toBe(401);
    const right = await receiver.post(firing);
    expect([right.status, await right.json()]).toEqual([202, { status: 'accepted' }]);
  });

  it('checks the token of every request on a keep-alive connection admitted before', async () => {
    const { hostname, port } = new URL(receiver.url);
    const body = JSON.stringify(payload([alert({ alertname: 'Other', service: 'api' })]));
    const request = (token: string) =>
      `POST /alerts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const statuses = await new Promise<string[]>((resolve) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write(request('s3cret-token') + request('s3cret-token') + request('s3cret-tokeN')),
      );
      let answers = '';
      socket.on('data', (data) => (answers += data));
      socket.on('close', () => resolve(answers.match(/HTTP\/1\.1 \d+/g) ?? []));
    });
    expect(statuses).toEqual(['HTTP/1.1 202', 'HTTP/1.1 202', 'HTTP/1.1 401']);
  });

  it('answers 415 for a body that is not declared JSON', async () => {
    const response = await receiver.post(firing, { 'content-type': 'text/plain' });
    expect([response.status, await response.json()]).toEqual([415, { error: 'Content-Type must be application/json' }]);
    expect((await receiver.post(firing, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(202);
  });

  it('answers 413 over 1 MiB, declared or streamed', async () => {
    const big = JSON.stringify({ ...firing, commonAnnotations: { filler: 'x'.repeat(1024 * 1024) } });
    const declared = await receiver.post(big);
    expect([declared.status, await declared.json()]).toEqual([413, { error: 'body larger than 1048576 bytes' }]);
    const chunks = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await fetch(`${receiver.url}/alerts`, {
      method: 'POST',
      headers: { authorization: 'Bearer s3cret-token', 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('answers 413 to every chunked body over 1 MiB and lets the client finish sending it (no EPIPE, no reset)', async () => {
    const { hostname, port } = new URL(receiver.url);
    const results: string[] = [];
    for (let trial = 0; trial < 24; trial += 1) {
      const size = [1.5, 2, 4][trial % 3]! * 1024 * 1024;
      const chunk = Buffer.alloc([1024, 8192, 65536, 200_000][trial % 4]!, 'x');
      results.push(
        await new Promise<string>((resolve) => {
          // A client that sends its whole body before it reads the answer.
          const socket = connect(Number(port), hostname, () => {
            socket.write(
              'POST /alerts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret-token\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
            );
            let sent = 0;
            const write = (): void => {
              while (sent < size) {
                sent += chunk.length;
                socket.write(`${chunk.length.toString(16)}\r\n`);
                if (!socket.write(Buffer.concat([chunk, Buffer.from('\r\n')]))) return void socket.once('drain', write);
              }
              socket.end('0\r\n\r\n');
            };
            write();
          });
          let answer = '';
          socket.on('data', (data) => (answer += data));
          socket.on('error', (error: NodeJS.ErrnoException) => resolve(`${error.code}: ${answer.split('\r\n')[0]}`));
          socket.on('close', () => resolve(answer.split('\r\n')[0]!));
        }),
      );
    }
    expect(results).toEqual(Array(24).fill('HTTP/1.1 413 Payload Too Large'));
  });

  it('answers 401, 404 and 415 at once and closes the connection without reading the body to its end', async () => {
    const { hostname, port } = new URL(receiver.url);
    const good = 'Authorization: Bearer s3cret-token\r\nContent-Type: application/json';
    const cases = [
      ['/alerts', 'Authorization: Bearer wrong\r\nContent-Type: application/json', 'HTTP/1.1 401 Unauthorized'],
      ['/alerts', 'Content-Type: application/json', 'HTTP/1.1 401 Unauthorized'],
      ['/nope', good, 'HTTP/1.1 404 Not Found'],
      ['/healthz', good, 'HTTP/1.1 405 Method Not Allowed'],
      ['/alerts', 'Authorization: Bearer s3cret-token\r\nContent-Type: text/plain', 'HTTP/1.1 415 Unsupported Media Type'],
    ];
    const results: string[] = [];
    for (const [where, headers] of cases) {
      for (const framing of ['Content-Length: 1073741824', 'Transfer-Encoding: chunked']) {
        // 8 MiB of a 1 GiB body, then nothing: a receiver that reads to the end waits for the rest.
        const outcome = await new Promise<string>((resolve) => {
          const socket = connect(Number(port), hostname, () => {
            socket.write(`POST ${where} HTTP/1.1\r\nHost: x\r\n${headers}\r\n${framing}\r\n\r\n`);
            const chunk = Buffer.alloc(64 * 1024, 'x');
            for (let sent = 0; sent < 8 * 1024 * 1024; sent += chunk.length)
              socket.write(framing.startsWith('Transfer') ? Buffer.concat([Buffer.from('10000\r\n'), chunk, Buffer.from('\r\n')]) : chunk);
          });
          let answer = '';
          const timer = setTimeout(() => {
            socket.destroy();
            resolve(`${answer.split('\r\n')[0]}; still open after 5 s`);
          }, 5000);
          socket.on('data', (data) => (answer += data));
          socket.on('error', () => {}); // the rest of the body meets a closed connection
          socket.on('close', () => {
            clearTimeout(timer);
            resolve(`${answer.split('\r\n')[0]}; closed`);
          });
        });
        results.push(`${where} ${framing.split(':')[0]}: ${outcome}`);
      }
    }
    expect(results).toEqual(
      cases.flatMap(([where, , status]) => [`${where} Content-Length: ${status}; closed`, `${where} Transfer-Encoding: ${status}; closed`]),
    );
  });

  it('answers 400 with the failing field for a malformed payload', async () => {
    const cases: [unknown, string][] = [
      ['{"version": "4",', `invalid JSON: ${jsonError('{"version": "4",')}`],
      [{ ...firing, version: '3' }, 'version: Invalid input: expected "4"'],
      [
        { ...firing, alerts: [{ ...firing.alerts[0], status: 'pending' }] },
        'alerts[0].status: Invalid option: expected one of "firing"|"resolved"',
      ],
      [{ ...firing, alerts: [firing.alerts[0], { ...firing.alerts[0], fingerprint: '' }] }, 'alerts[1].fingerprint: must not be empty'],
      [
        { ...firing, alerts: [{ ...firing.alerts[0], labels: { service: 7 } }] },
        'alerts[0].labels.service: Invalid input: expected string, received number',
      ],
      [{ ...firing, alerts: [{ ...firing.alerts[0], startsAt: 'yesterday' }] }, 'alerts[0].startsAt: must be an RFC 3339 time'],
    ];
    for (const [body, error] of cases) {
      const response = await receiver.post(body);
      expect([response.status, await response.json()]).toEqual([400, { error }]);
    }
  });

  it('serves health, readiness and metrics', async () => {
    expect((await fetch(`${receiver.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${receiver.url}/readyz`)).json()).toEqual({ status: 'ready' });
    expect((await fetch(`${receiver.url}/alerts`)).status).toBe(405);
    expect((await fetch(`${receiver.url}/nope`)).status).toBe(404);
    await receiver.runs(1);
    const metrics = await (await fetch(`${receiver.url}/metrics`)).text();
    // With the refusals of the large bodies above.
    expect(metrics).toContain('monforge_webhook_requests_total{code="404"} 3');
    expect(metrics).toContain('monforge_webhook_requests_total{code="405"} 3');
    expect(metrics).toContain('monforge_webhook_requests_total{code="401"} 9');
    expect(metrics).toContain('monforge_webhook_requests_total{code="415"} 3');
    expect(metrics).toContain('monforge_webhook_notifications_total{status="firing"} 4');
    expect(metrics).toContain('monforge_webhook_dedupe_hits_total 1');
    expect(metrics).toContain('monforge_webhook_actions_total{playbook="note",outcome="success"} 1');
    expect(metrics).toContain('monforge_webhook_action_duration_seconds_count{playbook="note",kind="log"} 1');
    expect(metrics).toContain('monforge_webhook_queue_depth 0');
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('reads a body that arrives in many chunks', async () => {
    const text = JSON.stringify({ ...firing, commonAnnotations: { filler: 'x'.repeat(300 * 1024) } });
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 10_000) controller.enqueue(bytes.slice(at, at + 10_000));
        controller.close();
      },
    });
    const response = await fetch(`${receiver.url}/alerts`, {
      method: 'POST',
      headers: { authorization: 'Bearer s3cret-token', 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect([response.status, await response.json()]).toEqual([202, { status: 'accepted' }]);
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('shutdown', () => {
  it('answers 503 to new connections while draining, instead of refusing them', async () => {
    const { dir, cleanup } = await scratch();
    const slow = definePlaybook({
      name: 'slow',
      match: { alertname: 'ApiDown' },
      allowExec: ['/bin/sleep'],
      actions: [{ kind: 'exec', name: 'wait', argv: ['/bin/sleep', '1'] }],
      onFailure: { escalate: false },
    });
    const receiver = await startReceiver(dir, [slow]);
    try {
      expect((await receiver.post(firing)).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 100)); // running
      const stopped = receiver.shutdown();
      const response = await receiver.post(payload([alert({ alertname: 'ApiDown', service: 'web' })]), { connection: 'close' });
      expect([response.status, response.headers.get('retry-after'), await response.json()]).toEqual([503, '5', { error: 'shutting down' }]);
      expect((await fetch(`${receiver.url}/readyz`, { headers: { connection: 'close' } })).status).toBe(503);
      await stopped;
      expect(steps(await receiver.audit())).toEqual(['wait success']);
    } finally {
      await receiver.shutdown();
      await cleanup();
    }
  });
});

const steps = (audit: Record<string, unknown>[]) => audit.map((entry) => `${entry.action} ${entry.outcome}`);
