import { defineService, quantile, ratioSlo, re, select } from '../../src/index.ts';
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
  ],
  alerts: [
    // SPEC: connection suggestion latency warning 500 ms, critical 1000 ms.
    {
      name: 'SuggestionsSlow',
      expr: quantile(0.95, latency),
      levels: { warning: 0.5, critical: 1 },
      for: '5m',
      summary: 'suggestions p95 latency is {{ $value | humanizeDuration }}',
      description:
        'The 95th percentile of connection suggestion (job {{ $labels.job }}) latency is {{ $value | humanizeDuration }} ' +
        '(warning above 500 ms, critical above 1 s).',
    },
  ],
});
