import type { AbsentOptions } from './absent.ts';
import type { ThresholdAlert } from './alert.ts';
import type { Counter, Histogram } from './metric.ts';
import type { ResourceMap } from './resources.ts';
import type { ScrapeOptions } from './scrape.ts';
import type { Selector } from './selector.ts';
import type { OptOuts } from './signals.ts';
import type { Slo } from './slo.ts';
import { made } from './made.ts';

/** Business criticality, from the teams' tiered severities table. */
export type ServiceTier = 'critical' | 'high' | 'medium' | 'low';

/** The request-serving signals of a service: drives the outage alert and the dashboard rows. */
export interface Traffic {
  readonly requests: Selector<Counter>;
  readonly errors: Selector<Counter>;
  readonly latency?: Selector<Histogram>;
}

/** What `defineService` returns. */
export interface Service {
  readonly kind: 'service';
  /** Lower-case identifier (label `service`, rule file name). */
  readonly name: string;
  readonly description?: string;
  readonly team: string;
  readonly tier: ServiceTier;
  /** Services this one needs; their outage inhibits this one's alerts. */
  readonly dependsOn?: readonly string[];
  /** Target labels that select this service's series, e.g. `{ job: 'api' }`. */
  readonly selector: Readonly<Record<string, string>>;
  readonly traffic?: Traffic;
  readonly slos?: readonly Slo[];
  readonly alerts?: readonly ThresholdAlert[];
  /** What this service goes without, each with its reason: policies skip it, `monforge coverage` shows it. */
  readonly optOut?: OptOuts;
  /** The gauges of its resources where they differ from the platform's resource catalog. */
  readonly resources?: ResourceMap;
  /** Absent detection: severities, `for` and exempt metrics (policies fill in the rest). */
  readonly absent?: AbsentOptions;
  /** Its scrape job; `false` when it is scraped by a job defined elsewhere (no job is generated). */
  readonly scrape?: ScrapeOptions | false;
}

/** Whether the service's selector names its targets: one without (an SLO over another team's metrics) has no `up` series of its own. */
export const hasTargets = (service: Pick<Service, 'selector'>): boolean => Object.keys(service.selector).length > 0;

/** A service. */
export function defineService(options: Omit<Service, 'kind'>): Service {
  return made({ kind: 'service', ...options });
}
