import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Supervisor, freePort, waitForHttp } from '../../scripts/stack/processes.ts';

/** A real Prometheus on 127.0.0.1 reading rule files from `rulesDir`, reloadable over HTTP. */
export async function startPrometheus(): Promise<{ url: string; rulesDir: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-prom-'));
  const rulesDir = path.join(dir, 'rules');
  await mkdir(rulesDir);
  await writeFile(path.join(dir, 'prometheus.yml'), `global:\n  evaluation_interval: 1m\nrule_files:\n  - ${rulesDir}/*.yml\n`);
  const port = await freePort();
  const supervisor = new Supervisor();
  const child = supervisor.start('prometheus', 'prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-lifecycle',
  ]);
  const stop = async (): Promise<void> => {
    await supervisor.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/-/ready`, child, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, rulesDir, stop };
}
