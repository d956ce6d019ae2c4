import type { Duration } from './duration.ts';

/** How Prometheus scrapes a service (generated/prometheus/scrape/<job>.yml). */
export interface ScrapeOptions {
  /** `host:port` of each target; without, Prometheus reads them from a file (file_sd) at `/etc/prometheus/targets/<job>.yml`. */
  readonly targets?: readonly [`${string}:${number}`, ...`${string}:${number}`[]];
  /** Default `/metrics`. */
  readonly metricsPath?: `/${string}`;
  /** Default `http`. */
  readonly scheme?: 'http' | 'https';
  /** Overrides the interval of the service's tier (critical 5s, high 15s, medium 30s, low 60s). */
  readonly interval?: Duration;
}
