// npm run history -- [--days 7] [--dir DIR] [--services api,database] [--start 2026-01-01]
// Writes the example platform's synthetic history with its labelled incidents, backfills it,
// serves it with prometheus on a free port and prints the backtest command to run; Ctrl-C stops.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatTime } from '../../src/backtest/time.ts';
import { loadPlatform } from '../../src/load/load.ts';
import { serveExampleHistory } from './serve.ts';

const { values } = parseArgs({
  options: { days: { type: 'string', default: '7' }, dir: { type: 'string' }, services: { type: 'string' }, start: { type: 'string' } },
  strict: true,
});
const days = Number(values.days);
const start = values.start ? Date.parse(`${values.start}T00:00:00Z`) / 1000 : Math.floor(Date.now() / 1000 / 86_400 - days) * 86_400;
if (!Number.isInteger(days) || days < 3 || Number.isNaN(start)) {
  process.stderr.write('usage: npm run history -- [--days N (at least 3)] [--dir DIR] [--services a,b] [--start YYYY-MM-DD]\n');
  process.exit(2);
}
const dir = values.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'monforge-history-')));
const served = await serveExampleHistory(await loadPlatform(process.cwd()), dir, {
  start,
  days,
  ...(values.services && { services: values.services.split(',') }),
  onStep: (step) => process.stderr.write(`${step}\n`),
});
process.stdout.write(
  [
    `prometheus ${served.server.url} serves ${served.samples} samples from ${formatTime(served.start)} to ${formatTime(served.end)} (data in ${dir})`,
    `${served.incidents.length} labelled incidents in ${served.incidentsFile}`,
    '',
    `npx monforge backtest --prometheus ${served.server.url} --from ${formatTime(served.start)} --to ${formatTime(served.end)} --incidents ${served.incidentsFile}`,
    '',
    'Ctrl-C stops prometheus.',
    '',
  ].join('\n'),
);
const stop = (): void => {
  void served.server.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
