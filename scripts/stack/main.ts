// `npm run stack`: the example platform on real servers, on 127.0.0.1, until Ctrl-C.
// Playbooks run in dry-run: the example's admin endpoints are illustrative (the end-to-end
// test runs real remediation against the demo). Ports: --prometheus-port, --alertmanager-port, …
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadPlatform } from '../../src/load/load.ts';
import { startStack, type Stack } from './stack.ts';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: 'api,database,cache' },
    interval: { type: 'string', default: '5' },
    'scrape-interval': { type: 'string' },
    'prometheus-port': { type: 'string', default: '9090' },
    'alertmanager-port': { type: 'string', default: '9093' },
    'webhook-port': { type: 'string', default: '9095' },
    'demo-port': { type: 'string', default: '9400' },
    'capture-port': { type: 'string', default: '9401' },
  },
});
const root = process.cwd();
let running: Stack | undefined;
const stack = await startStack({
  platform: await loadPlatform(root),
  generatedDir: path.join(root, 'generated'),
  services: values.services.split(','),
  intervalSeconds: Number(values.interval),
  ...(values['scrape-interval'] !== undefined && { scrapeIntervalSeconds: Number(values['scrape-interval']) }),
  dryRun: true,
  ports: {
    prometheus: Number(values['prometheus-port']),
    alertmanager: Number(values['alertmanager-port']),
    webhook: Number(values['webhook-port']),
    demo: Number(values['demo-port']),
    capture: Number(values['capture-port']),
  },
  onFailure: (child, code) => {
    process.stderr.write(`${child.name} exited (${code}):\n${child.output()}\nstopping the stack\n`);
    void (running?.stop() ?? Promise.resolve()).then(() => process.exit(1));
  },
});
running = stack;
process.stdout.write(
  [
    `prometheus    ${stack.prometheus}`,
    `alertmanager  ${stack.alertmanager}`,
    `webhook       ${stack.webhook} (dry-run)`,
    `demo          ${stack.demo.url}  (faults: curl -X POST ${stack.demo.url}/control/api -d '{"errorRatio":1}')`,
    `receivers     ${stack.capture.url}/receiver/<name>`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
const shutdown = (): void => void stack.stop().then(() => process.exit(0));
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
