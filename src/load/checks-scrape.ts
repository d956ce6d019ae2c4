import { scrapeJobs, webhookJobName } from '../derive/scrape-jobs.ts';
import type { PlatformConfig } from '../model/config.ts';
import type { Sourced } from '../model/platform.ts';
import type { Service } from '../model/service.ts';
import { scrapeJobTaken } from '../findings/catalog/routing.ts';
import { definitionError, type DefinitionError } from './errors.ts';

/** Prometheus refuses two scrape jobs of one name: each service needs a job of its own. */
export function checkScrapeJobs(
  config: PlatformConfig & Sourced,
  services: readonly (Service & Sourced)[],
  report: (error: DefinitionError) => void,
): void {
  const first = new Map<string, string>();
  for (const job of scrapeJobs({ config, services })) {
    const owner = job.service === undefined ? `the remediation receiver (${webhookJobName})` : `service "${job.service}"`;
    const earlier = first.get(job.jobName);
    if (earlier === undefined) {
      first.set(job.jobName, owner);
      continue;
    }
    const path = job.service === undefined ? ['config', 'remediation'] : [`service "${job.service}"`, 'scrape'];
    report(definitionError(job.source, path, scrapeJobTaken(job.jobName, earlier)));
  }
}
