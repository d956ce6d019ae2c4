// The local overlay for Prometheus: the generated rule files, a short evaluation interval, the
// demo's services as scrape jobs at their generated intervals (or one given for all).
// generated/ is never edited: the rule files are copied, and groups that run every minute or
// slower in production (an SLO's long windows, every 2m) run at the stack's pace, so that their
// series exist seconds after start, like the rest.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { durationSeconds } from '../../src/model/duration.ts';
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

async function writeRuleFiles(dir: string, overlay: PrometheusOverlay): Promise<string> {
  const source = path.join(overlay.generatedDir, 'prometheus/rules');
  const target = path.join(dir, 'rules');
  await mkdir(target, { recursive: true });
  for (const file of (await readdir(source)).filter((name) => name.endsWith('.rules.yml'))) {
    const rules = parse(await readFile(path.join(source, file), 'utf8')) as { groups: { interval?: string }[] };
    const groups = rules.groups.map((group) =>
      (durationSeconds(group.interval ?? '0s') ?? 0) >= 60 ? { ...group, interval: `${overlay.intervalSeconds}s` } : group,
    );
    await writeFile(path.join(target, file), toYaml({ groups }));
  }
  return path.join(target, '*.rules.yml');
}

export async function writePrometheusConfig(dir: string, overlay: PrometheusOverlay): Promise<string> {
  const file = path.join(dir, 'prometheus.yml');
  const interval = `${overlay.intervalSeconds}s`;
  await writeFile(
    file,
    toYaml({
      global: { scrape_interval: interval, evaluation_interval: interval },
      rule_files: [await writeRuleFiles(dir, overlay)],
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
