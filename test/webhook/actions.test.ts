import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlaybook } from '../../src/index.ts';
import type { CompiledAction, CompiledPlaybook } from '../../src/load/playbook-file.ts';
import { runExec } from '../../src/webhook/actions/exec.ts';
import { loadPlaybooks } from '../../src/webhook/playbooks.ts';
import { alert, payload, scratch, startReceiver, until } from './harness.ts';

const evil = { alertname: 'ApiDown', service: 'api; rm -rf /', instance: '$(touch /tmp/pwned)', job: '`id`', extra: 'a\nb' };

describe('exec actions', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let script: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await scratch());
    // Records its arguments and the label variables it received, one per line.
    script = path.join(dir, 'record.sh');
    await writeFile(script, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/ran"\nenv | grep '^MONFORGE_' | sort >> "${dir}/ran"\necho done\n`);
    await chmod(script, 0o755);
  });
  afterAll(() => cleanup());
  let runs = 0;
  /** A state directory per receiver. */
  const fresh = async () => {
    runs += 1;
    const sub = path.join(dir, `run-${runs}`);
    await mkdir(sub);
    return sub;
  };

  const recorder = () =>
    definePlaybook({
      name: 'record',
      match: { alertname: 'ApiDown' },
      allowExec: [script as `/${string}`],
      actions: [{ kind: 'exec', name: 'record', argv: [script as `/${string}`, '--service', '{{ $labels.service }}'] }],
      onFailure: { escalate: false },
      cooldown: '0s',
    });

  it('passes safe labels as MONFORGE_LABEL_* variables and argv untouched, without a shell', async () => {
    const receiver = await startReceiver(await fresh(), [recorder()]);
    try {
      await receiver.post(payload([alert({ alertname: 'ApiDown', service: 'api', instance: '10.0.0.1:8080' })]));
      await receiver.runs(1);
      expect(await readFile(path.join(dir, 'ran'), 'utf8')).toBe(
        [
          '--service',
          '{{ $labels.service }}', // argv is never templated
          `MONFORGE_FINGERPRINT=${(await receiver.audit())[0]!.fingerprint}`,
          'MONFORGE_LABEL_ALERTNAME=ApiDown',
          'MONFORGE_LABEL_INSTANCE=10.0.0.1:8080',
          'MONFORGE_LABEL_SERVICE=api',
          'MONFORGE_PLAYBOOK=record',
          'MONFORGE_STATUS=firing',
          '',
        ].join('\n'),
      );
      expect(await receiver.audit()).toMatchObject([{ action: 'record', kind: 'exec', outcome: 'success', stdout: 'done\n' }]);
    } finally {
      await receiver.shutdown();
    }
  });

  it('refuses to run when a label value holds shell syntax, newlines or other unsafe characters', async () => {
    await writeFile(path.join(dir, 'ran'), 'not run\n');
    const receiver = await startReceiver(await fresh(), [recorder()]);
    try {
      await receiver.post(payload([alert(evil)]));
      await receiver.runs(1);
      expect(await receiver.audit()).toMatchObject([
        {
          action: 'record',
          outcome: 'refused',
          detail: 'label values outside the safe charset [A-Za-z0-9_.,:/@+=-]: extra, instance, job, service',
        },
      ]);
      expect(await readFile(path.join(dir, 'ran'), 'utf8')).toBe('not run\n');
    } finally {
      await receiver.shutdown();
    }
  });

  it('refuses label names outside [A-Za-z_][A-Za-z0-9_]* (no variable is made of them), and audits the refusal', async () => {
    await writeFile(path.join(dir, 'ran'), 'not run\n');
    const receiver = await startReceiver(await fresh(), [recorder()]);
    try {
      await receiver.post(payload([alert({ alertname: 'ApiDown', 'service=$(touch /tmp/x);x': 'api' })]));
      await receiver.post(payload([alert({ alertname: 'ApiDown', 'nul\u0000name': 'api', ünïcode: 'x' })]));
      await receiver.runs(2);
      expect((await receiver.audit()).map((entry) => [entry.action, entry.outcome, entry.detail])).toEqual([
        ['record', 'refused', 'label names outside [A-Za-z_][A-Za-z0-9_]*: "service=$(touch /tmp/x);x"'],
        ['record', 'refused', 'label names outside [A-Za-z_][A-Za-z0-9_]*: "nul\\u0000name", "ünïcode"'],
      ]);
      expect(await readFile(path.join(dir, 'ran'), 'utf8')).toBe('not run\n');
    } finally {
      await receiver.shutdown();
    }
  });

  it('refuses a program outside the allow-list: at start-up, and again right before spawning', async () => {
    const file = path.join(dir, 'edited.json');
    const action = {
      kind: 'exec',
      name: 'rm',
      argv: ['/bin/rm', '-rf', '/tmp/x'],
      timeout: '1s',
      killAfter: '1s',
    } satisfies CompiledAction;
    const playbook: CompiledPlaybook = {
      name: 'record',
      source: 'x.ts',
      match: { alertname: 'ApiDown' },
      target: [],
      cooldown: '0s',
      maxRunsPerHour: 1,
      allowExec: [script as `/${string}`],
      actions: [action],
      onFailure: { rollback: [], escalate: false },
      onResolved: [],
    };
    await writeFile(file, JSON.stringify({ version: 1, playbooks: [playbook] }));
    await expect(loadPlaybooks(file)).rejects.toThrow(
      `${file}: playbook "record" › action "rm" › argv: /bin/rm is not in the playbook's allowExec (${script})`,
    );
    const result = await runExec(action, playbook, {}, {}, new AbortController().signal);
    expect(result).toEqual({ outcome: 'refused', detail: '/bin/rm is not in the allow-list of playbook "record"' });
  });

  it('kills a hanging action at its timeout: SIGTERM, then SIGKILL when ignored, with its children', async () => {
    const hang = definePlaybook({
      name: 'hang',
      match: { alertname: 'ApiDown' },
      allowExec: ['/bin/sh'],
      actions: [
        {
          kind: 'exec',
          name: 'polite',
          argv: ['/bin/sh', '-c', `sleep 30 & echo $! > ${dir}/child.pid; echo started; wait`],
          timeout: '1s',
          killAfter: '1s',
        },
        { kind: 'log', name: 'never', message: 'not reached after a failed action' },
      ],
      onFailure: {
        rollback: [{ kind: 'exec', name: 'stubborn', argv: ['/bin/sh', '-c', `trap '' TERM; sleep 30`], timeout: '1s', killAfter: '1s' }],
        escalate: false,
      },
    });
    const receiver = await startReceiver(await fresh(), [hang]);
    try {
      const before = Date.now();
      await receiver.post(payload([alert({ alertname: 'ApiDown', service: 'api' })]));
      await receiver.runs(1);
      const audit = await receiver.audit();
      expect(audit.map((entry) => [entry.action, entry.outcome, entry.detail, entry.stdout])).toEqual([
        ['polite', 'timeout', 'timed out after 1s; ended by SIGTERM', 'started\n'],
        ['stubborn', 'timeout', 'timed out after 1s; ended by SIGKILL', undefined],
      ]);
      expect(Date.now() - before).toBeLessThan(6000);
      const child = Number(await readFile(path.join(dir, 'child.pid'), 'utf8'));
      expect(() => process.kill(child, 0)).toThrow(/ESRCH/); // the program's own child died with it
    } finally {
      await receiver.shutdown();
    }
  });

  it('kills the whole group after killAfter even when the program itself exits on SIGTERM', async () => {
    const pidFile = path.join(dir, 'stubborn-child.pid');
    const leaves = definePlaybook({
      name: 'leaves',
      match: { alertname: 'ApiDown' },
      allowExec: ['/bin/sh'],
      actions: [
        {
          kind: 'exec',
          name: 'leader-exits',
          // The child ignores SIGTERM and does not hold the pipes: the leader's exit closes them.
          argv: ['/bin/sh', '-c', `(trap '' TERM; exec sleep 30) >/dev/null 2>&1 & echo $! > ${pidFile}; wait`],
          timeout: '500ms',
          killAfter: '1s',
        },
      ],
      onFailure: { escalate: false },
    });
    const receiver = await startReceiver(await fresh(), [leaves]);
    try {
      await receiver.post(payload([alert({ alertname: 'ApiDown', service: 'api' })]));
      await receiver.runs(1);
      expect((await receiver.audit()).map((entry) => [entry.outcome, entry.detail])).toEqual([
        ['timeout', 'timed out after 500ms; ended by SIGTERM'],
      ]);
      await ended(pidFile);
    } finally {
      await receiver.shutdown();
    }
  });

  it('judges a program by its exit: exit 0 with a background child still holding stdout is a success', async () => {
    const pidFile = path.join(dir, 'background.pid');
    const background = definePlaybook({
      name: 'background',
      match: { alertname: 'ApiDown' },
      allowExec: ['/bin/sh'],
      actions: [
        {
          kind: 'exec',
          name: 'forks',
          argv: ['/bin/sh', '-c', `sleep 30 & echo $! > ${pidFile}; echo done`],
          timeout: '3s',
          killAfter: '1s',
        },
      ],
      onFailure: { rollback: [{ kind: 'log', name: 'undo', message: 'must not run' }], escalate: false },
    });
    const receiver = await startReceiver(await fresh(), [background]);
    try {
      const before = Date.now();
      await receiver.post(payload([alert({ alertname: 'ApiDown', service: 'api' })]));
      expect((await receiver.runs(1))[0]).toMatchObject({ msg: 'run remediated' });
      expect(Date.now() - before).toBeLessThan(2000);
      expect((await receiver.audit()).map((entry) => [entry.action, entry.outcome, entry.stdout])).toEqual([
        ['forks', 'success', 'done\n'],
      ]);
      await ended(pidFile);
    } finally {
      await receiver.shutdown();
    }
  });
});

/** Resolves once the process whose pid `pidFile` holds has ended (within 3 s). */
async function ended(pidFile: string): Promise<void> {
  const pid = Number(await readFile(pidFile, 'utf8'));
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  await until(
    () => !alive(),
    3000,
    () => `process ${pid} (${pidFile}) still runs`,
  );
}

describe('http actions', () => {
  const received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let failuresLeft = 0;
  let endlessBytes = 0;
  let endlessClosed = false;
  const server = createServer((request, response) => {
    if (request.url === '/endless') {
      // An answer that never ends: 64 KiB chunks as fast as the client reads them.
      const chunk = Buffer.alloc(64 * 1024, 'y');
      response.writeHead(200, { 'content-type': 'text/plain' });
      const more = (): void => {
        while (!endlessClosed && response.write(chunk)) endlessBytes += chunk.length;
        if (!endlessClosed) response.once('drain', more);
      };
      response.on('close', () => (endlessClosed = true));
      more();
      return;
    }
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      response.statusCode = failuresLeft-- > 0 ? 503 : 200;
      response.end('ok');
    });
  });
  let base: string;
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ({ dir, cleanup } = await scratch());
    await writeFile(path.join(dir, 'api-token'), 'file-token\n');
    process.env.MONFORGE_TEST_HEADER = 'env-value';
  });
  afterAll(async () => {
    server.close();
    await cleanup();
  });

  it('templates labels into the URL (percent-encoded) and the JSON body (as strings), with headers from file and env, retrying 5xx', async () => {
    const call = definePlaybook({
      name: 'call',
      match: { alertname: 'ApiDown' },
      actions: [
        {
          kind: 'http',
          name: 'scale',
          method: 'PUT',
          url: `${base}/admin/{{ $labels.service }}/scale?instance={{ $labels.instance }}`,
          headers: {
            Authorization: { file: path.join(dir, 'api-token') as `/${string}`, prefix: 'Bearer ' },
            'X-Extra': { env: 'MONFORGE_TEST_HEADER' },
          },
          body: { service: '{{ $labels.service }}', note: 'on {{ $labels.job }}', list: ['{{ $labels.extra }}', 2, null] },
          backoff: '10ms',
        },
      ],
      onFailure: { escalate: false },
    });
    failuresLeft = 2;
    const receiver = await startReceiver(dir, [call]);
    try {
      await receiver.post(payload([alert(evil)]));
      await receiver.runs(1);
      expect(received).toHaveLength(3);
      const last = received[2]!;
      expect([last.method, last.url, last.headers.authorization, last.headers['x-extra'], last.headers['content-type']]).toEqual([
        'PUT',
        '/admin/api%3B%20rm%20-rf%20%2F/scale?instance=%24(touch%20%2Ftmp%2Fpwned)',
        'Bearer file-token',
        'env-value',
        'application/json',
      ]);
      expect(JSON.parse(last.body)).toEqual({ service: 'api; rm -rf /', note: 'on `id`', list: ['a\nb', 2, null] });
      expect(await receiver.audit()).toMatchObject([
        { action: 'scale', outcome: 'success', detail: 'HTTP 200 after 3 attempts', stdout: 'ok' },
      ]);
    } finally {
      await receiver.shutdown();
    }
  });

  it('refuses a URL whose path a label value would turn into a "." or ".." segment', async () => {
    const restart = definePlaybook({
      name: 'restart',
      match: { alertname: 'ApiDown' },
      actions: [{ kind: 'http', name: 'restart', url: `${base}/admin/{{ $labels.service }}/restart`, retries: 0 }],
      onFailure: { escalate: false },
      cooldown: '0s',
    });
    const receiver = await startReceiver(path.join(dir, 'dots'), [restart]);
    try {
      const before = received.length;
      await receiver.post(payload(['..', '.', '%2e.'].map((service) => alert({ alertname: 'ApiDown', service }))));
      await receiver.runs(3);
      const outcomes = (await receiver.audit()).map((entry) => [entry.outcome, entry.detail]).sort();
      expect(outcomes).toEqual([
        ['refused', `URL path has a "." or ".." segment after templating: ${base}/admin/../restart`],
        ['refused', `URL path has a "." or ".." segment after templating: ${base}/admin/./restart`],
        ['success', 'HTTP 200 after 1 attempt'],
      ]);
      // "%2e." is encoded to "%252e.", an ordinary segment.
      expect(received.slice(before).map((request) => request.url)).toEqual(['/admin/%252e./restart']);
    } finally {
      await receiver.shutdown();
    }
  });

  it('reads at most what the audit keeps of an answer, then drops the connection', async () => {
    const call = definePlaybook({
      name: 'endless',
      match: { alertname: 'ApiDown' },
      actions: [{ kind: 'http', name: 'fetch', method: 'GET', url: `${base}/endless`, timeout: '5s', retries: 0 }],
      onFailure: { escalate: false },
    });
    const receiver = await startReceiver(path.join(dir, 'endless'), [call]);
    try {
      const before = Date.now();
      await receiver.post(payload([alert({ alertname: 'ApiDown', service: 'api' })]));
      await receiver.runs(1);
      expect(Date.now() - before).toBeLessThan(3000);
      const [entry] = await receiver.audit();
      expect([entry!.outcome, entry!.detail, entry!.stdout]).toEqual([
        'success',
        'HTTP 200 after 1 attempt; answer cut at 2048 bytes',
        'y'.repeat(2048),
      ]);
      await until(
        () => endlessClosed,
        2000,
        () => 'the connection to the endless answer is still open',
      );
      expect(endlessBytes).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await receiver.shutdown();
    }
  });
});
