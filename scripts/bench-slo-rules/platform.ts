// The SLO the benchmark measures: Sloth's getting-started SLO (99.9 % of requests without a
// 5xx or 429 over 30 days) as a monforge definition, for each job of the synthetic history:
// `myservice` (steady traffic, the cardinality under test) and the accuracy cases, each with
// ten times more traffic by day than by night: errors only at night, only by day, a short
// burst after days without an error series, and nightly idle periods.
import { buildPlatform } from '../../src/load/load.ts';
import { counter, defineConfig, defineService, defineTeam, pagerduty, ratioSlo, re, select } from '../../src/index.ts';
import type { Platform } from '../../src/model/platform.ts';

export const requestsMetric = 'http_requests_total';
export const jobs = ['myservice', 'night-errors', 'day-errors', 'late-burst', 'idle-nights'] as const;
export type Job = (typeof jobs)[number];

const requests = counter({ name: requestsMetric, help: 'Requests.', labels: ['route', 'method', 'code'] });

export function benchPlatform(): Platform {
  const services = jobs.map((job) =>
    defineService({
      name: job,
      team: 'bench',
      tier: 'high',
      selector: { job },
      slos: [
        ratioSlo({
          name: 'requests-availability',
          objective: 99.9,
          errors: select(requests, { code: re('(5..|429)') }),
          total: select(requests),
        }),
      ],
    }),
  );
  const platform = buildPlatform(
    [
      { source: 'definitions/platform.ts', exportName: 'config', value: defineConfig({ runbookBaseUrl: 'https://runbooks.example.com/' }) },
      {
        source: 'definitions/platform.ts',
        exportName: 'team',
        value: defineTeam({
          name: 'bench',
          receivers: { pager: pagerduty({ routingKeyFile: '/etc/alertmanager/secrets/bench' }) },
          notify: { critical: ['pager'], high: ['pager'], warning: ['pager'], info: ['pager'] },
        }),
      },
      ...services.map((service) => ({ source: `definitions/${service.name}.ts`, exportName: 'service', value: service })),
    ],
    (error) => {
      throw new Error(`${error.file}: ${error.path.join(' › ')}: ${error.message}`);
    },
  );
  if (!platform) throw new Error('bench platform did not load');
  return platform;
}
