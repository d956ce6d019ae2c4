import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, Supervisor, waitForHttp } from '../../../scripts/stack/processes.ts';

// A real Prometheus scraping a real exporter nobody here wrote (Debian's prometheus-node-exporter)
// and itself, every 5 s, on free ports of 127.0.0.1:
// - job "node": the node exporter;
// - job "prometheus": Prometheus itself (histograms: prometheus_http_request_duration_seconds);
// - job "prometheus-nobuckets": itself again, its request-duration buckets dropped by relabelling;
// - a recording rule of its own, job:node_load1:max.
// Ready when every target is up and the histogram's buckets and the recorded series exist.

export interface ScrapedServer {
  readonly url: string;
  readonly stop: () => Promise<void>;
}

export const scrapeIntervalSeconds = 5;

async function settled(url: string, deadline: number): Promise<void> {
  const conditions = [
    'count(up == 1) == 3',
    'count(prometheus_http_request_duration_seconds_bucket{job="prometheus",handler="/metrics"}) > 0',
    'count(prometheus_http_request_duration_seconds_count{job="prometheus-nobuckets"}) > 0',
    'count(job:node_load1:max) > 0',
    // Two scrapes of each target: rates over a window have what they need.
    'min(count_over_time(up[1m])) >= 2',
  ];
  while (Date.now() < deadline) {
    const answers = await Promise.all(
      conditions.map(async (query) => {
        const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`).catch(() => undefined);
        const body = (await response?.json().catch(() => undefined)) as { data?: { result?: unknown[] } } | undefined;
        return (body?.data?.result?.length ?? 0) > 0;
      }),
    );
    if (answers.every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Prometheus at ${url} did not scrape its targets within the deadline`);
}

export async function startScrapedPrometheus(): Promise<ScrapedServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-live-'));
  const [exporterPort, prometheusPort] = [await freePort(), await freePort()];
  const supervisor = new Supervisor();
  const stop = async (): Promise<void> => {
    await supervisor.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const self = `127.0.0.1:${prometheusPort}`;
  await writeFile(
    path.join(dir, 'rules.yml'),
    'groups:\n  - name: server\n    rules:\n      - record: job:node_load1:max\n        expr: max by (job) (node_load1)\n',
  );
  await writeFile(
    path.join(dir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${scrapeIntervalSeconds}s`,
      `  evaluation_interval: ${scrapeIntervalSeconds}s`,
      'rule_files:',
      `  - ${path.join(dir, 'rules.yml')}`,
      'scrape_configs:',
      '  - job_name: node',
      `    static_configs: [{ targets: ["127.0.0.1:${exporterPort}"] }]`,
      '  - job_name: prometheus',
      `    static_configs: [{ targets: ["${self}"] }]`,
      '  - job_name: prometheus-nobuckets',
      `    static_configs: [{ targets: ["${self}"] }]`,
      '    metric_relabel_configs:',
      '      - source_labels: [__name__]',
      '        regex: prometheus_http_request_duration_seconds_bucket',
      '        action: drop',
      '',
    ].join('\n'),
  );
  try {
    const exporter = supervisor.start('prometheus-node-exporter', 'prometheus-node-exporter', [
      `--web.listen-address=127.0.0.1:${exporterPort}`,
    ]);
    await waitForHttp(`http://127.0.0.1:${exporterPort}/metrics`, exporter, 30_000);
    const prometheus = supervisor.start('prometheus', 'prometheus', [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${self}`,
    ]);
    const url = `http://${self}`;
    await waitForHttp(`${url}/-/ready`, prometheus, 30_000);
    await settled(url, Date.now() + 90_000);
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface LoneServer extends ScrapedServer {
  /** Its process, for a test to stop (SIGSTOP) and continue (SIGCONT). */
  readonly process: ChildProcess;
  /** SIGKILL, resolved once it has exited. */
  readonly kill: () => Promise<void>;
}

/** A Prometheus scraping only itself, whose process a test may hang or kill; ready when it answers. */
export async function startLonePrometheus(): Promise<LoneServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-live-lone-'));
  const self = `127.0.0.1:${await freePort()}`;
  const supervisor = new Supervisor();
  await writeFile(
    path.join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: ${scrapeIntervalSeconds}s\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{ targets: ["${self}"] }]\n`,
  );
  const child = supervisor.start('prometheus', 'prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=${self}`,
  ]);
  const stop = async (): Promise<void> => {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGCONT');
    await supervisor.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const url = `http://${self}`;
    await waitForHttp(`${url}/-/ready`, child, 30_000);
    const kill = async (): Promise<void> => {
      const exited = new Promise((resolve) => child.process.once('exit', resolve));
      child.process.kill('SIGKILL');
      await exited;
    };
    return { url, process: child.process, kill, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
