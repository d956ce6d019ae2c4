// The whole path on 127.0.0.1: the demo service, real prometheus and prometheus-alertmanager
// with local overlay configs, the remediation receiver, and capturing stand-in receivers.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scrapeJobs } from '../../src/derive/scrape-jobs.ts';
import { seconds } from '../../src/model/duration.ts';
import type { Platform } from '../../src/model/platform.ts';
import { startDemo, type Demo } from '../demo/server.ts';
import { writeAlertmanagerConfig } from './alertmanager.ts';
import { startCapture, type Capture } from './capture.ts';
import { freePort, Supervisor, waitForHttp, type Child } from './processes.ts';
import { writePrometheusConfig } from './prometheus.ts';

export interface StackOptions {
  readonly platform: Platform;
  /** The compiled output the stack runs (generated/ or a test's own). */
  readonly generatedDir: string;
  /** Services the demo simulates (and Prometheus scrapes). */
  readonly services: readonly string[];
  /** Rule evaluation interval; default 2s. */
  readonly intervalSeconds?: number;
  /** One scrape interval for every job; default each service's generated one (its tier's). */
  readonly scrapeIntervalSeconds?: number;
  /** Run playbooks for real, or only log what they would do. */
  readonly dryRun?: boolean;
  readonly ports?: Partial<Record<'prometheus' | 'alertmanager' | 'webhook' | 'demo' | 'capture', number>>;
  /** Called when a child dies while the stack runs. */
  readonly onFailure?: (child: Child, code: number | null) => void;
}

export interface Stack {
  readonly prometheus: string;
  readonly alertmanager: string;
  readonly webhook: string;
  readonly demo: Demo;
  readonly capture: Capture;
  readonly intervalSeconds: number;
  /** The scrape interval of each simulated service, in seconds. */
  readonly scrapeIntervals: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

export async function startStack(options: StackOptions): Promise<Stack> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-stack-'));
  const supervisor = new Supervisor(options.onFailure);
  const interval = options.intervalSeconds ?? 2;
  const port = async (name: keyof NonNullable<StackOptions['ports']>): Promise<number> => options.ports?.[name] ?? (await freePort());
  let capture: Capture | undefined;
  let demo: Demo | undefined;
  const stop = async (): Promise<void> => {
    await supervisor.stop();
    await demo?.close();
    await capture?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    capture = await startCapture('127.0.0.1', await port('capture'));
    demo = await startDemo(options.platform, options.services, '127.0.0.1', await port('demo'));
    const [prometheusPort, alertmanagerPort, webhookPort] = [await port('prometheus'), await port('alertmanager'), await port('webhook')];
    const prometheus = `http://127.0.0.1:${prometheusPort}`;
    const alertmanager = `http://127.0.0.1:${alertmanagerPort}`;
    const webhook = `http://127.0.0.1:${webhookPort}`;
    const tokenFile = path.join(dir, 'webhook-token');
    await writeFile(tokenFile, 'stack-token\n', { mode: 0o600 });

    const receiver = supervisor.start('webhook', process.execPath, [
      path.join(repoRoot, 'bin/monforge.js'),
      'webhook',
      '--playbooks',
      path.join(options.generatedDir, 'remediation/playbooks.json'),
      '--listen',
      `127.0.0.1:${webhookPort}`,
      '--token-file',
      tokenFile,
      '--state-dir',
      path.join(dir, 'webhook-state'),
      '--prometheus',
      prometheus,
      '--alertmanager',
      alertmanager,
      ...(options.dryRun ? ['--dry-run'] : []),
    ]);
    const remediation = options.platform.config.remediation;
    const alertmanagerConfig = await writeAlertmanagerConfig(dir, {
      generatedConfig: path.join(options.generatedDir, 'alertmanager/alertmanager.yml'),
      captureUrl: capture.url,
      ...(remediation ? { remediation: { generatedUrl: remediation.url, url: `${webhook}/alerts`, tokenFile } } : {}),
    });
    const alertmanagerChild = supervisor.start('alertmanager', 'prometheus-alertmanager', [
      `--config.file=${alertmanagerConfig}`,
      `--storage.path=${path.join(dir, 'alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
      '--cluster.listen-address=',
    ]);
    const demoUrl = new URL(demo.url);
    const jobs = scrapeJobs(options.platform)
      .filter((job) => job.service !== undefined && options.services.includes(job.service))
      .map((job) => ({
        service: job.service!,
        jobName: job.jobName,
        intervalSeconds: options.scrapeIntervalSeconds ?? seconds(job.interval),
      }));
    const prometheusConfig = await writePrometheusConfig(dir, {
      generatedDir: options.generatedDir,
      demo: { host: demoUrl.hostname, port: Number(demoUrl.port), jobs },
      alertmanager: `127.0.0.1:${alertmanagerPort}`,
      intervalSeconds: interval,
    });
    const prometheusChild = supervisor.start('prometheus', 'prometheus', [
      `--config.file=${prometheusConfig}`,
      `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
    ]);
    await Promise.all([
      waitForHttp(`${webhook}/readyz`, receiver),
      waitForHttp(`${alertmanager}/-/ready`, alertmanagerChild),
      waitForHttp(`${prometheus}/-/ready`, prometheusChild),
    ]);
    const scrapeIntervals = new Map(jobs.map((job) => [job.service, job.intervalSeconds]));
    return { prometheus, alertmanager, webhook, demo, capture, intervalSeconds: interval, scrapeIntervals, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
