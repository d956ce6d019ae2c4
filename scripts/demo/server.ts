// The demo service of the example platform: simulated services with fault injection.
//   GET  /services/<name>/metrics      Prometheus exposition (503 while the service is "down")
//   POST /control/<name>               inject a fault: {"errorRatio":1} {"latencySeconds":2} {"memoryPercent":95} {"down":true} (+ "sticky":true)
//   POST /control/<name>/restart       what a remediation playbook calls: clears a non-sticky fault (409 if sticky)
//   GET  /healthz
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadPlatform } from '../../src/load/load.ts';
import type { Platform } from '../../src/model/platform.ts';
import { SimulatedService } from './simulator.ts';

const faultSchema = z
  .object({
    errorRatio: z.number().min(0).max(1).optional(),
    latencySeconds: z.number().min(0).max(60).optional(),
    memoryPercent: z.number().min(0).max(100).optional(),
    down: z.boolean().optional(),
    trafficFactor: z.number().min(0).max(10).optional(),
    sticky: z.boolean().optional(),
  })
  .strict();

export interface Demo {
  readonly url: string;
  readonly services: ReadonlyMap<string, SimulatedService>;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

/** Starts the demo on host:port (port 0 picks a free one); ticks the simulation every second. */
export async function startDemo(platform: Platform, names: readonly string[], host = '127.0.0.1', port = 0): Promise<Demo> {
  const services = new Map<string, SimulatedService>();
  for (const name of names) {
    const service = platform.services.find((each) => each.name === name);
    if (!service) throw new Error(`unknown service "${name}" (known: ${platform.services.map((each) => each.name).join(', ')})`);
    services.set(name, new SimulatedService(service));
  }
  for (const service of services.values()) service.tick(1);
  const timer = setInterval(() => {
    for (const service of services.values()) service.tick(1);
  }, 1000);

  const server: Server = createServer((request, response) => {
    const reply = (status: number, text = ''): void => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
    };
    const [, area, name, action] = (request.url ?? '/').split('?')[0]!.split('/');
    if (area === 'healthz') return reply(200, 'ok\n');
    const service = name ? services.get(name) : undefined;
    if (!service) return reply(404, 'unknown service\n');
    if (area === 'services' && action === 'metrics' && request.method === 'GET') {
      if (service.isDown) return reply(503, 'down\n');
      void service.registry.metrics().then((text) => {
        response.writeHead(200, { 'content-type': service.registry.contentType }).end(text);
      });
      return;
    }
    if (area === 'control' && request.method === 'POST') {
      if (action === 'restart') return service.restart() ? reply(200, 'restarted\n') : reply(409, 'the fault survives restarts\n');
      if (action !== undefined) return reply(404, 'unknown action\n');
      void body(request)
        .then((payload) => {
          const fault = faultSchema.safeParse(payload);
          if (!fault.success)
            return reply(400, `${fault.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n')}\n`);
          service.inject(fault.data);
          reply(204);
        })
        .catch(() => reply(400, 'invalid JSON\n'));
      return;
    }
    reply(404, 'not found\n');
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    services,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { listen: { type: 'string', default: '127.0.0.1:9400' }, services: { type: 'string', default: 'api,database,cache' } },
  });
  const [host = '127.0.0.1', port = '9400'] = values.listen.split(':');
  const demo = await startDemo(await loadPlatform(process.cwd()), values.services.split(','), host, Number(port));
  process.stdout.write(`demo services on ${demo.url}: ${[...demo.services.keys()].join(', ')}\n`);
  const stop = (): void => void demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
