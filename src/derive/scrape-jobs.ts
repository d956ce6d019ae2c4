import type { PlatformConfig } from '../model/config.ts';
import { seconds, type Duration } from '../model/duration.ts';
import type { Sourced } from '../model/platform.ts';
import type { Service, ServiceTier } from '../model/service.ts';

// The scrape jobs the platform needs, as data: the scrape-config target renders them as
// Prometheus `scrape_configs`, and a Kubernetes target can render ServiceMonitors from the
// same list. Each job gives its series exactly the target labels the service selector asks for.

/** docs/design.md: detection within 30 s needs 5 s scrapes for critical metrics (detection < 30 s); the lower the tier, the less often. */
export const tierScrapeIntervals: Readonly<Record<ServiceTier, Duration>> = { critical: '5s', high: '15s', medium: '30s', low: '60s' };

/** Where file-based discovery reads a job's targets when the service lists none. */
const defaultTargetsDir = '/etc/prometheus/targets';

/** Prometheus' own default scrape timeout; a shorter interval bounds it. */
const maxTimeout: Duration = '10s';

export type Discovery =
  | { readonly kind: 'static'; readonly targets: readonly string[] }
  | { readonly kind: 'file'; readonly files: readonly string[] };

export interface ScrapeJob {
  readonly jobName: string;
  /** The service scraped; undefined for monforge's own remediation receiver. */
  readonly service?: string;
  readonly interval: Duration;
  readonly timeout: Duration;
  readonly metricsPath: `/${string}`;
  readonly scheme: 'http' | 'https';
  readonly discovery: Discovery;
  /** Target labels besides `job` that the service selector requires, set on every target. */
  readonly labels: Readonly<Record<string, string>>;
  readonly source: string;
}

/** The remediation receiver's job: its metrics feed the remediation outcome rules. */
export const webhookJobName = 'monforge-webhook';

const timeoutFor = (interval: Duration): Duration => (seconds(interval) < seconds(maxTimeout) ? interval : maxTimeout);

/** The scrape job of a service, or undefined when it is scraped by a job defined elsewhere. */
export function serviceScrapeJob(service: Service & Sourced): ScrapeJob | undefined {
  if (service.scrape === false) return undefined;
  const options = service.scrape ?? {};
  const jobName = service.selector.job ?? service.name;
  const interval = options.interval ?? tierScrapeIntervals[service.tier];
  const labels = Object.fromEntries(Object.entries(service.selector).filter(([label]) => label !== 'job'));
  return {
    jobName,
    service: service.name,
    interval,
    timeout: timeoutFor(interval),
    metricsPath: options.metricsPath ?? '/metrics',
    scheme: options.scheme ?? 'http',
    discovery: options.targets
      ? { kind: 'static', targets: [...options.targets] }
      : { kind: 'file', files: [`${defaultTargetsDir}/${jobName}.yml`] },
    labels,
    source: service.source,
  };
}

/** Every job, by job name: the services' and, when configured, the remediation receiver's. */
export function scrapeJobs(platform: {
  readonly config: PlatformConfig & Sourced;
  readonly services: readonly (Service & Sourced)[];
}): ScrapeJob[] {
  const jobs = platform.services.flatMap((service) => serviceScrapeJob(service) ?? []);
  const remediation = platform.config.remediation;
  if (remediation) {
    const url = new URL(remediation.url);
    jobs.push({
      jobName: webhookJobName,
      interval: '30s',
      timeout: '10s',
      metricsPath: '/metrics',
      scheme: url.protocol === 'https:' ? 'https' : 'http',
      discovery: { kind: 'static', targets: [url.host] },
      labels: {},
      source: platform.config.source,
    });
  }
  return jobs.sort((a, b) => (a.jobName < b.jobName ? -1 : a.jobName > b.jobName ? 1 : 0));
}
