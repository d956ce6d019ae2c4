import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/processes.ts';
import { backtestOptions } from '../../src/run/backtest.ts';
import { monforge } from '../helpers/index.ts';

// The command line of `npx monforge backtest` and its failures: usage errors exit 2, a server
// that cannot be reached, hangs or answers garbage and a bad incidents file exit 1 in one line.

const rules = `groups:
  - name: api
    rules:
      - alert: ApiErrors
        expr: errors > 1
        labels: { service: api, severity: critical }
`;

describe('npx monforge backtest (command line and faults)', () => {
  let dir: string;
  let hanging: Server;
  let garbage: Server;
  const url = (server: Server) => `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const run = (...args: string[]) => monforge(dir, 'backtest', '--rules', 'rules', ...args);
  const range = ['--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T01:00:00Z'];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-backtest-cli-'));
    await mkdir(path.join(dir, 'rules'));
    await writeFile(path.join(dir, 'rules/api.yml'), rules);
    await writeFile(
      path.join(dir, 'incidents.json'),
      JSON.stringify({ incidents: [{ name: 'x', start: 'soon', end: 1, services: ['api'] }] }),
    );
    // Accepts the request and never answers: the deadline must end the call.
    hanging = createServer(() => {});
    garbage = createServer((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'));
    await Promise.all([hanging, garbage].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    await Promise.all([hanging, garbage].map((server) => new Promise((resolve) => server.close(resolve))));
    await rm(dir, { recursive: true, force: true });
  });

  it('usage errors exit 2 with the reason', async () => {
    // Every reason, from the options as parsed; then two through the real command line.
    const reasons: [Record<string, string | string[]>, string][] = [
      [{ from: 'now-1h', to: 'now' }, 'backtest needs --prometheus URL'],
      [{ prometheus: 'http://x', from: 'now-1h' }, 'backtest needs --from TIME and --to TIME'],
      [{ prometheus: 'http://x', from: 'now', to: 'tomorrow' }, '--to "tomorrow" is not an RFC 3339 time, Unix seconds or now-DURATION'],
      [{ prometheus: 'http://x', from: 'now-1h', to: 'now', offset: 'x' }, '--offset "x" is not a duration like "1m"'],
      [{ prometheus: 'http://x', from: 'now-1h', to: 'now', timeout: '0s' }, '--timeout "0s" is not a duration like "1m"'],
      [{ prometheus: 'http://x', from: 'now-1h', to: 'now', flapping: '0' }, '--flapping "0" is not a whole number of evaluations'],
    ];
    for (const [values, reason] of reasons) expect(backtestOptions(values, dir)).toBe(reason);
    expect(
      backtestOptions({ prometheus: 'http://x', from: '100', to: '160', alert: ['A', 'B'], rules: 'r', offset: '5s' }, dir),
    ).toMatchObject({
      from: 100,
      to: 160,
      alerts: ['A', 'B'],
      rules: path.join(dir, 'r'),
      offset: 5,
      flapping: 3,
      timeoutMs: 120_000,
      format: 'text',
    });
    const cases: [string[], string][] = [
      [[...range], 'backtest needs --prometheus URL'],
      [
        ['--prometheus', 'http://x', '--from', 'yesterday', '--to', 'now'],
        '--from "yesterday" is not an RFC 3339 time, Unix seconds or now-DURATION',
      ],
      [['--prometheus', 'http://x', '--from', 'now', '--to', 'now-1h'], '--to must be after --from'],
      [['--prometheus', 'http://x', ...range, '--format', 'pdf'], '--format must be one of text, json, html'],
      [
        ['--prometheus', 'http://x', ...range, '--evaluation-interval', 'often'],
        '--evaluation-interval "often" is not a duration like "1m"',
      ],
      [['--prometheus', 'ftp://x', ...range], '--prometheus "ftp://x" is not an http(s) URL'],
      [['--prometheus', 'http://x', ...range, '--alert', 'NoSuchAlert'], 'no alert named "NoSuchAlert" in rules'],
    ];
    for (const [args, message] of cases) {
      const outcome = await run(...args);
      expect(outcome.code, args.join(' ')).toBe(2);
      expect(outcome.stderr.split('\n')[0]).toBe(message);
    }
  });

  it('a server that cannot be reached, never answers or answers something else: exit 1, one line naming the call', async () => {
    const port = await freePort();
    const closed = await run('--prometheus', `http://127.0.0.1:${port}`, ...range);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toBe(`Prometheus POST /api/v1/query_range: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`);
    const slow = await run('--prometheus', url(hanging), ...range, '--timeout', '1s');
    expect(slow.code).toBe(1);
    expect(slow.stderr).toBe('Prometheus POST /api/v1/query_range: no answer within 1s\n');
    const other = await run('--prometheus', url(garbage), ...range);
    expect(other.code).toBe(1);
    expect(other.stderr).toBe('Prometheus POST /api/v1/query_range: HTTP 200: the answer is not JSON\n');
  });

  it('a bad incidents file: exit 1, every problem with the file and the field, nothing queried', async () => {
    const outcome = await run('--prometheus', 'http://127.0.0.1:9', ...range, '--incidents', 'incidents.json');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('incidents.json: incidents[0].start: "soon" is not an RFC 3339 time or Unix seconds\n');
  });
});
