import { defineService, latencySlo, quantile, ratioSlo, re, select } from '../../src/index.ts';
import { httpDuration, httpRequests } from '../metrics.ts';

// Search results (job "search"), served over HTTP.

const requests = select(httpRequests);
const errors = select(httpRequests, { code: re('5..') });
const latency = select(httpDuration);

export const search = defineService({
  name: 'search',
  description: "Search across the platform's content.",
  team: 'data',
  tier: 'medium',
  dependsOn: ['database'],
  selector: { job: 'search' },
  traffic: { requests, errors, latency },
  optOut: { playbook: 'an unhealthy index is rebuilt by a human: it takes hours and loads the database' },
  slos: [
    // SPEC: availability 99.9 % over 30 days.
    ratioSlo({
      name: 'availability',
      description: '99.9 % of searches succeed over 30 days.',
      objective: 99.9,
      window: '30d',
      errors,
      total: requests,
    }),
    // SPEC: search results 300 ms, as an objective: 95 % of searches within 300 ms
    // (0.3 is a bucket of http_request_duration_seconds). Window 30 days.
    latencySlo({
      name: 'latency',
      description: '95 % of searches return within 300 ms over 30 days.',
      objective: 95,
      window: '30d',
      histogram: latency,
      threshold: 0.3,
    }),
  ],
  alerts: [
    // SPEC "Latency / performance objectives": search results warning 300 ms.
    {
      name: 'SearchSlow',
      expr: quantile(0.95, latency),
      levels: { warning: 0.3 },
      for: '10m',
      covers: 'latency',
      summary: 'search p95 latency is {{ $value | humanizeDuration }}',
      description:
        'The 95th percentile of search (job {{ $labels.job }}) latency is {{ $value | humanizeDuration }}, above the 300 ms target.',
    },
  ],
});
