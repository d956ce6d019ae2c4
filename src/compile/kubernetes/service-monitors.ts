import type { Platform } from '../../model/platform.ts';
import type { PrometheusOperatorTarget, ServiceMonitorOptions } from '../../model/targets.ts';
import { scrapeJobs, type ScrapeJob } from '../../derive/scrape-jobs.ts';
import { managedByLabel, objectName, renderObject, type KubernetesFile } from './objects.ts';
import type { Owners } from './owners.ts';

export const serviceMonitorPath = (job: string): string => `kubernetes/servicemonitors/${job}.yaml`;

const defaultServiceLabel = 'app.kubernetes.io/name';
const defaultPort = 'metrics';

/**
 * One `ServiceMonitor` per scrape job (the same list the scrape files come from): the Services
 * labelled `<serviceLabel>: <job>`, scraped at the job's interval, and relabelled so every
 * target carries exactly the `job` and labels the service selector (and so every rule) expects,
 * whatever the Service is called.
 */
export function serviceMonitors(
  platform: Pick<Platform, 'config' | 'services'>,
  target: PrometheusOperatorTarget & { readonly serviceMonitors: ServiceMonitorOptions },
  owners: Owners,
): KubernetesFile[] {
  const options = target.serviceMonitors;
  return scrapeJobs(platform).map((job) =>
    renderObject(
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: {
          name: objectName(job.jobName),
          namespace: target.namespace,
          labels: { ...managedByLabel, ...(options.labels ?? target.ruleLabels) },
        },
        spec: {
          selector: { matchLabels: { [options.serviceLabel ?? defaultServiceLabel]: job.jobName } },
          namespaceSelector: options.namespaces ? { matchNames: [...options.namespaces] } : { any: true },
          endpoints: [endpoint(job, options)],
        },
      },
      { path: serviceMonitorPath(job.jobName), owner: owners.of(job.service ?? '', 'prometheusOperator') },
      [job.source],
    ),
  );
}

function endpoint(job: ScrapeJob, options: ServiceMonitorOptions): Record<string, unknown> {
  const labels = { job: job.jobName, ...job.labels };
  return {
    port: options.port ?? defaultPort,
    path: job.metricsPath,
    scheme: job.scheme,
    interval: job.interval,
    scrapeTimeout: job.timeout,
    // `$` in a replacement refers to a regex group: `$$` writes it as is.
    relabelings: Object.entries(labels).map(([label, value]) => ({
      action: 'replace',
      targetLabel: label,
      replacement: value.replaceAll('$', '$$$$'),
    })),
  };
}
