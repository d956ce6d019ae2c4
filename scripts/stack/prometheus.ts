// The local overlay for Prometheus: the generated rule files, short scrape and evaluation
// intervals, the demo's services as scrape jobs. generated/ is never edited: the rule files are
// copied, and groups that run every minute or slower in production (an SLO's long windows, every
// 2m) run at the stack's pace, so that their series exist seconds after start, like the rest.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { durationSeconds } from '../../src/model/duration.ts';
import { toYaml } from '../../src/output/serialize.ts';

export interface PrometheusOverlay {
  readonly generatedDir: string;
  readonly demo: { readonly host: string; readonly port: number; readonly services: readonly string[] };
  readonly alertmanager: string;
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
      scrape_configs: overlay.demo.services.map((service) => ({
        job_name: service,
        metrics_path: `/services/${service}/metrics`,
        static_configs: [{ targets: [`${overlay.demo.host}:${overlay.demo.port}`] }],
      })),
    }),
  );
  return file;
}
