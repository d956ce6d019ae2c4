import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Supervisor, freePort, waitForHttp } from '../../scripts/stack/processes.ts';

/** A real Alertmanager on 127.0.0.1 running `config`, clustering off, state in a scratch dir. */
export async function startAlertmanager(config: string): Promise<{ url: string; configFile: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-am-'));
  await writeFile(path.join(dir, 'alertmanager.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const supervisor = new Supervisor();
  const child = supervisor.start('alertmanager', 'prometheus-alertmanager', [
    `--config.file=${path.join(dir, 'alertmanager.yml')}`,
    `--storage.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
  ]);
  const stop = async (): Promise<void> => {
    await supervisor.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/-/ready`, child, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, configFile: path.join(dir, 'alertmanager.yml'), stop };
}

/** Alertmanager's webhook payload, as far as the tests read it. */
export interface Notification {
  readonly path: string;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly alerts: { readonly status: string; readonly labels: Record<string, string> }[];
}

/** An HTTP server on 127.0.0.1 that records every webhook notification it receives. */
export async function startCapture(): Promise<{ url: string; received: Notification[]; stop: () => Promise<void> }> {
  const received: Notification[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ path: request.url ?? '', ...(JSON.parse(body) as Omit<Notification, 'path'>) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { url, received, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Polls until `condition` holds, or fails with `describe()` after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
