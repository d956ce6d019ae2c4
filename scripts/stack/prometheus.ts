// The local overlay for Prometheus: the generated rule files as they are, a short evaluation
// interval, the demo's services as scrape jobs at their generated intervals (or one given
// for all). generated/ is never edited.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toYaml } from '../../src/output/serialize.ts';

export interface PrometheusOverlay {
  readonly generatedDir: string;
  /** The demo's address and the scrape job of each service it simulates. */
  readonly demo: { readonly host: string; readonly port: number; readonly jobs: readonly DemoJob[] };
  readonly alertmanager: string;
  readonly intervalSeconds: number;
}

export interface DemoJob {
  readonly service: string;
  readonly jobName: string;
  readonly intervalSeconds: number;
}

export async function writePrometheusConfig(dir: string, overlay: PrometheusOverlay): Promise<string> {
  const file = path.join(dir, 'prometheus.yml');
  const interval = `${overlay.intervalSeconds}s`;
  await writeFile(
    file,
    toYaml({
      global: { scrape_interval: interval, evaluation_interval: interval },
      rule_files: [path.join(overlay.generatedDir, 'prometheus/rules/*.rules.yml')],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [overlay.alertmanager] }] }] },
      scrape_configs: overlay.demo.jobs.map((job) => ({
        job_name: job.jobName,
        scrape_interval: `${job.intervalSeconds}s`,
        scrape_timeout: `${Math.min(job.intervalSeconds, 10)}s`,
        metrics_path: `/services/${job.service}/metrics`,
        static_configs: [{ targets: [`${overlay.demo.host}:${overlay.demo.port}`] }],
      })),
    }),
  );
  return file;
}
