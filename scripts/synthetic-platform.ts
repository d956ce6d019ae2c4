// A synthetic platform of `count` services for benchmarks: 10 teams; per service 3 SLOs and
// 5 threshold alerts over the same metrics, each service selected by its own `job`.
import type { Exported } from '../src/load/collect.ts';
import {
  average,
  counter,
  defineConfig,
  defineService,
  defineTeam,
  gauge,
  gaugePercent,
  histogram,
  latencySlo,
  pagerduty,
  quantile,
  rate,
  ratio,
  ratioSlo,
  re,
  select,
  slack,
} from '../src/index.ts';

export const requests = counter({ name: 'http_requests_total', help: 'Requests.', labels: ['route', 'code'] });
export const duration = histogram({
  name: 'http_request_duration_seconds',
  help: 'Latency.',
  labels: ['route'],
  buckets: [0.05, 0.1, 0.2, 0.5, 1, 2, 5],
});
export const memory = gauge({ name: 'process_resident_memory_bytes', help: 'Memory.', unit: 'bytes' });
export const limit = gauge({ name: 'container_memory_limit_bytes', help: 'Limit.', unit: 'bytes' });
const errors = select(requests, { code: re('5..') });
const good = select(requests, { code: re('2..') });
const all = select(requests);

export function syntheticPlatform(count: number): Exported[] {
  const exported: Exported[] = [
    { source: 'definitions/platform.ts', exportName: 'config', value: defineConfig({ runbookBaseUrl: 'https://runbooks.example.com/' }) },
    ...Array.from({ length: 10 }, (_, team) => ({
      source: 'definitions/platform.ts',
      exportName: `team${team}`,
      value: defineTeam({
        name: `team-${team}`,
        receivers: {
          pager: pagerduty({ routingKeyFile: `/etc/alertmanager/secrets/team-${team}` }),
          slack: slack({ channel: `#team-${team}`, apiUrlFile: '/etc/alertmanager/secrets/slack' }),
        },
        notify: { critical: ['pager', 'slack'], high: ['slack'], warning: ['slack'], info: ['slack'] },
      }),
    })),
  ];
  for (let index = 0; index < count; index += 1) {
    const name = `service-${index}`;
    const service = defineService({
      name,
      team: `team-${index % 10}`,
      tier: 'high',
      selector: { job: name },
      dependsOn: index > 0 ? [`service-${index - 1}`] : [],
      traffic: { requests: all, errors, latency: select(duration) },
      slos: [
        ratioSlo({ name: 'availability', objective: 99.9, errors, total: all }),
        ratioSlo({ name: 'success', objective: 99.5, good, total: all, window: '28d' }),
        latencySlo({ name: 'latency', objective: 95, histogram: select(duration), threshold: 0.2 }),
      ],
      alerts: [
        {
          name: 'HighErrorRate',
          expr: ratio(errors, all),
          levels: { warning: 0.1, critical: 0.5 },
          for: '3m',
          summary: `${name} errors`,
          description: '{{ printf "%.2f" $value }} % fail',
        },
        {
          name: 'SlowResponses',
          expr: quantile(0.95, select(duration), { by: ['route'] }),
          levels: { warning: 1, critical: 2 },
          for: '5m',
          summary: 'slow {{ $labels.route }}',
          description: 'p95 {{ $value | humanizeDuration }}',
        },
        {
          name: 'LatencySpike',
          expr: average(select(duration)),
          levels: { warning: 0.3 },
          for: '2m',
          summary: 'spike',
          description: 'avg {{ $value | humanizeDuration }}',
        },
        {
          name: 'MemoryPressure',
          expr: gaugePercent(select(memory), select(limit)),
          levels: { warning: 80, critical: 90 },
          for: '2m',
          summary: 'memory',
          description: '{{ $value | humanize }} %',
        },
        {
          name: 'LowThroughput',
          expr: rate(all),
          direction: 'below',
          levels: { warning: 1000 },
          for: '10m',
          summary: 'throughput',
          description: '{{ $value | humanize }} req/s',
        },
      ],
    });
    exported.push({ source: `definitions/${name}.ts`, exportName: 'service', value: service });
  }
  return exported;
}
