import { average, baseline, defineService, latencySlo, quantile, rate, ratio, ratioSlo, re, select } from '../../src/index.ts';
import { httpDuration, httpRequests } from '../metrics.ts';

// The core API: every other user-facing service calls it.

/** Server errors: what the availability SLO and the error-rate alert count as failed. */
const errors = select(httpRequests, { code: re('5..') });
const requests = select(httpRequests);
const latency = select(httpDuration);

export const api = defineService({
  name: 'api',
  description: 'Core HTTP API of the platform.',
  team: 'platform',
  tier: 'critical',
  dependsOn: ['database', 'cache'],
  selector: { job: 'api' },
  traffic: { requests, errors, latency },
  slos: [
    // SPEC "Availability, errors, resources": availability SLO 99.9 % over 30 days.
    ratioSlo({
      name: 'availability',
      description: '99.9 % of API requests succeed (no 5xx) over 30 days.',
      objective: 99.9,
      window: '30d',
      errors,
      total: requests,
    }),
    // SPEC "Latency / performance objectives": API response time p95 200 ms (SLO),
    // i.e. 95 % of requests within 0.2 s (a bucket of http_request_duration_seconds).
    latencySlo({
      name: 'latency',
      description: '95 % of API requests complete within 200 ms over 30 days.',
      objective: 95,
      window: '30d',
      histogram: latency,
      threshold: 0.2,
    }),
  ],
  alerts: [
    // SPEC: error rate warning 0.1 %, critical 0.5 %; "error rate > 0.1 % for 3 minutes → warning".
    {
      name: 'ApiErrorRateHigh',
      expr: ratio(errors, requests),
      levels: { warning: 0.1, critical: 0.5 },
      for: '3m',
      // The platform policy's figures, with the team's own words: it replaces the generated one.
      covers: 'errorRatio',
      escalate: { after: '10m', to: 'high' },
      summary: 'api error rate is {{ printf "%.2f" $value }} %',
      description:
        '{{ printf "%.2f" $value }} % of api requests (job {{ $labels.job }}) answered 5xx over the last 5 minutes ' +
        '(warning above 0.1 %, critical above 0.5 %). Check recent deploys and the database and cache.',
    },
    // SPEC: "API response time p95 ... a second team: warning 1 s, critical 2 s".
    {
      name: 'ApiResponseTimeHigh',
      expr: quantile(0.95, latency),
      levels: { warning: 1, critical: 2 },
      for: '5m',
      covers: 'latency',
      summary: 'api p95 response time is {{ $value | humanizeDuration }}',
      description:
        'The 95th percentile of api (job {{ $labels.job }}) response time is {{ $value | humanizeDuration }} ' +
        '(warning above 1 s, critical above 2 s).',
    },
    // SPEC "Alert conditions": "latency spike: average response time > threshold × 1.5 for
    // 2 minutes → warning". Threshold = the 200 ms latency SLO, so 0.2 × 1.5 = 0.3 s.
    {
      name: 'ApiLatencySpike',
      expr: average(latency, { window: '2m' }),
      levels: { warning: 0.3 },
      for: '2m',
      covers: 'latency',
      summary: 'api average response time spiked to {{ $value | humanizeDuration }}',
      description:
        'The average api (job {{ $labels.job }}) response time over 2 minutes is {{ $value | humanizeDuration }}, ' +
        'more than 1.5 × the 200 ms latency objective.',
    },
    // SPEC: "throughput below 1000 req/s is a capacity signal", "< 0.8 × baseline". Compared
    // with the same time last week, so a quiet night is no incident; judged only when the API
    // served more than 1000 req/s then (the guard also keeps it quiet without a week of history).
    {
      name: 'ApiThroughputLow',
      expr: baseline(rate(requests), { offset: '1w', minimum: 1000 }),
      direction: 'below',
      levels: { warning: 80 },
      for: '10m',
      summary: 'api throughput is {{ printf "%.0f" $value }} % of the same time last week',
      description:
        'api (job {{ $labels.job }}) serves {{ printf "%.0f" $value }} % of the requests per second it served at this time last week ' +
        '(warning below 80 %): traffic is not reaching the API (load balancer, DNS, clients) or demand fell sharply.',
    },
  ],
  // Memory, CPU (resource catalog) and the rest come from the policies (definitions/policies.ts).
  optOut: { disk: 'stateless: no data volume' },
});
