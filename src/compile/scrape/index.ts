import { scrapeJobs, serviceScrapeJob, type ScrapeJob } from '../../derive/scrape-jobs.ts';
import type { Platform, Sourced } from '../../model/platform.ts';
import type { Service } from '../../model/service.ts';
import type { FileSet } from '../../output/fileset.ts';
import { generatedHeader, toYaml } from '../../output/serialize.ts';

export const scrapeDir = 'prometheus/scrape';
export const scrapeFilePath = (job: string): string => `${scrapeDir}/${job}.yml`;

/**
 * One file per scrape job, each a `scrape_configs` list: Prometheus 2.43+ loads them with
 * `scrape_config_files: [generated/prometheus/scrape/*.yml]`; 2.42 has no such key, so there
 * the jobs are pasted into prometheus.yml's own `scrape_configs`.
 */
export function compileScrapeConfigs(platform: Pick<Platform, 'config' | 'services'>): FileSet {
  return scrapeFiles(scrapeJobs(platform));
}

/** A service's own job: it reads that service only. */
export function scrapeServiceFiles(service: Service & Sourced): FileSet {
  return scrapeFiles([serviceScrapeJob(service) ?? []].flat());
}

/** The jobs of no service: the remediation receiver's, when configured. */
export function scrapePlatformFiles(platform: Pick<Platform, 'config'>): FileSet {
  return scrapeFiles(scrapeJobs({ config: platform.config, services: [] }));
}

function scrapeFiles(jobs: readonly ScrapeJob[]): FileSet {
  return new Map(
    jobs.map((job) => [scrapeFilePath(job.jobName), toYaml({ scrape_configs: [scrapeConfig(job)] }, generatedHeader([job.source]))]),
  );
}

/** A job in Prometheus' `scrape_config` keys. */
function scrapeConfig(job: ScrapeJob): Record<string, unknown> {
  const labels = Object.entries(job.labels).sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    job_name: job.jobName,
    scrape_interval: job.interval,
    scrape_timeout: job.timeout,
    metrics_path: job.metricsPath,
    scheme: job.scheme,
    ...(job.discovery.kind === 'static'
      ? { static_configs: [{ targets: [...job.discovery.targets] }] }
      : { file_sd_configs: [{ files: [...job.discovery.files] }] }),
    // The selector's other target labels, on every target however it was discovered.
    ...(labels.length > 0 && { relabel_configs: labels.map(([label, value]) => ({ target_label: label, replacement: value })) }),
  };
}
