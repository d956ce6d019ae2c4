// The local overlay for Prometheus: the generated rule files as they are, short scrape and
// evaluation intervals, the demo's services as scrape jobs. generated/ is never edited.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toYaml } from '../../src/output/serialize.ts';

export interface PrometheusOverlay {
  readonly generatedDir: string;
  readonly demo: { readonly host: string; readonly port: number; readonly services: readonly string[] };
  readonly alertmanager: string;
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
      scrape_configs: overlay.demo.services.map((service) => ({
        job_name: service,
        metrics_path: `/services/${service}/metrics`,
        static_configs: [{ targets: [`${overlay.demo.host}:${overlay.demo.port}`] }],
      })),
    }),
  );
  return file;
}
