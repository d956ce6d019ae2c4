import { defineService, latencySlo, quantile, ratioSlo, re, select } from '../../src/index.ts';
import { httpDuration, httpRequests } from '../metrics.ts';

// Connection suggestions ("people you may know"), a best-effort feature (job "suggestions").

const requests = select(httpRequests);
const errors = select(httpRequests, { code: re('5..') });
const latency = select(httpDuration);

export const suggestions = defineService({
  name: 'suggestions',
  description: 'Connection suggestions for users.',
  team: 'data',
  tier: 'low',
  dependsOn: ['database', 'search'],
  selector: { job: 'suggestions' },
  traffic: { requests, errors, latency },
  slos: [
    // Best effort: the tiered table's "high" availability figure, 97 %, is enough here.
    ratioSlo({
      name: 'availability',
      description: '97 % of suggestion requests succeed over 30 days.',
      objective: 97,
      window: '30d',
      errors,
      total: requests,
    }),
    // SPEC: connection suggestion latency 500 ms, as an objective: 95 % within 500 ms.
    latencySlo({
      name: 'latency',
      description: '95 % of suggestion requests complete within 500 ms over 30 days.',
      objective: 95,
      window: '30d',
      histogram: latency,
      threshold: 0.5,
    }),
  ],
  optOut: {
    disk: 'stateless: suggestions are computed from the database and the search index',
    playbook: 'best effort: the web app hides suggestions while they fail',
  },
  alerts: [
    // SPEC: connection suggestion latency warning 500 ms, critical 1000 ms.
    {
      name: 'SuggestionsSlow',
      expr: quantile(0.95, latency),
      levels: { warning: 0.5, critical: 1 },
      for: '5m',
      covers: 'latency',
      summary: 'suggestions p95 latency is {{ $value | humanizeDuration }}',
      description:
        'The 95th percentile of connection suggestion (job {{ $labels.job }}) latency is {{ $value | humanizeDuration }} ' +
        '(warning above 500 ms, critical above 1 s).',
    },
  ],
});
