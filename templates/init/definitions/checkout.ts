import { counter, defineService, histogram, latencySlo, quantile, ratioSlo, re, select } from 'monforge';

// The metrics the checkout service exports (instrument them with `monforge/instrument`).
export const httpRequests = counter({
  name: 'http_requests_total',
  help: 'HTTP requests served, by route and status code.',
  labels: ['route', 'code'],
});
export const httpDuration = histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency, by route.',
  labels: ['route'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

const requests = select(httpRequests);
const errors = select(httpRequests, { code: re('5..') });

export const checkout = defineService({
  name: 'checkout',
  team: 'shop',
  tier: 'critical',
  selector: { job: 'checkout' },
  // Request, error and latency series: dashboards, and the fast CheckoutDown alert.
  traffic: { requests, errors, latency: select(httpDuration) },
  slos: [
    // 99.9 % of requests succeed over 30 days; pages on a fast budget burn, tickets on a slow one.
    ratioSlo({ name: 'availability', objective: 99.9, errors, total: requests }),
    // 95 % of requests finish within 250 ms (the threshold must be a bucket of the histogram).
    latencySlo({ name: 'latency', objective: 95, histogram: select(httpDuration), threshold: 0.25 }),
  ],
  // What the service goes without, and why (coverage shows the reason instead of a gap).
  optOut: {
    cpu: 'no CPU gauges yet: add them to defineResources in policies.ts, then remove this line',
    disk: 'stateless: no data volume',
  },
  alerts: [
    {
      name: 'CheckoutLatencyHigh',
      expr: quantile(0.95, select(httpDuration)),
      levels: { warning: 1, critical: 2 }, // seconds
      for: '5m',
      summary: 'checkout p95 latency is {{ $value | humanizeDuration }}',
      description: 'p95 latency of {{ $labels.job }} has been above its level for 5 minutes.',
    },
  ],
});
