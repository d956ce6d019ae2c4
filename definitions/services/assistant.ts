import { defineService, histogram, latencySlo, quantile, ratio, ratioSlo, re, select } from '../../src/index.ts';
import { httpRequests } from '../metrics.ts';

// "ivor", the assistant. Its team wrote SPEC's "Tiered severities" table:
//   tier     | response time | error rate | availability
//   critical | 5 s           | 10 %       | 95 %
//   high     | 3 s           | 5 %        | 97 %
//   medium   | 2 s           | 2 %        | 99 %
// Its response-time and error-rate columns become the critical / high / warning levels of the
// alerts below (medium is our "warning"); the ivor row of "Latency / performance objectives"
// (2000 ms warning, 5000 ms critical) agrees. The availability column is the SLO: ivor's tier is
// medium, so 99 %. (An availability alert would only repeat the error-rate alert.)

/** Time until ivor's complete answer. Buckets hold 2, 3 and 5 s; the largest is far above. */
export const ivorResponseDuration = histogram({
  name: 'ivor_response_duration_seconds',
  help: 'Time from question to complete answer of the ivor assistant.',
  labels: ['model'],
  buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60],
});

const requests = select(httpRequests);
const errors = select(httpRequests, { code: re('5..') });
const responses = select(ivorResponseDuration);

export const assistant = defineService({
  name: 'assistant',
  description: 'The "ivor" assistant: answers users\' questions.',
  team: 'assistant',
  tier: 'medium',
  dependsOn: ['api'],
  selector: { job: 'assistant' },
  traffic: { requests, errors, latency: responses },
  slos: [
    // Tiered table, medium row: availability 99 % (ivor's own tier is medium).
    ratioSlo({
      name: 'availability',
      description: '99 % of ivor requests succeed over 30 days.',
      objective: 99,
      window: '30d',
      errors,
      total: requests,
    }),
    // The 5 s critical response time, as an objective: 99 % of answers within 5 s.
    latencySlo({
      name: 'response-time',
      description: '99 % of ivor answers arrive within 5 s over 30 days.',
      objective: 99,
      window: '30d',
      histogram: responses,
      threshold: 5,
    }),
  ],
  alerts: [
    // SPEC: assistant ("ivor") response latency warning 2000 ms, critical 5000 ms; tiered table
    // adds high at 3 s.
    {
      name: 'AssistantResponseSlow',
      expr: quantile(0.95, responses),
      levels: { warning: 2, high: 3, critical: 5 },
      for: '5m',
      covers: 'latency',
      summary: 'ivor p95 response time is {{ $value | humanizeDuration }}',
      description:
        'The 95th percentile of ivor (assistant, job {{ $labels.job }}) answer time is {{ $value | humanizeDuration }} ' +
        '(warning above 2 s, high above 3 s, critical above 5 s).',
    },
    // Tiered table: error rate medium 2 %, high 5 %, critical 10 %.
    {
      name: 'AssistantErrorRateHigh',
      expr: ratio(errors, requests),
      levels: { warning: 2, high: 5, critical: 10 },
      for: '5m',
      // The team's own tiered figures instead of the platform's.
      covers: 'errorRatio',
      summary: 'ivor error rate is {{ printf "%.2f" $value }} %',
      description:
        '{{ printf "%.2f" $value }} % of ivor (assistant, job {{ $labels.job }}) requests failed over 5 minutes ' +
        '(warning above 2 %, high above 5 %, critical above 10 %). Check the model backend and the api.',
    },
  ],
  optOut: { disk: 'stateless: answers come from the model backend, nothing is stored here' },
});
