import { defineService, quantile, re, select } from '../../src/index.ts';
import { httpDuration, httpRequests } from '../metrics.ts';

// Form submission backend (job "forms"): receives the forms filled in the web app.

const requests = select(httpRequests);
const errors = select(httpRequests, { code: re('5..') });
const latency = select(httpDuration);

export const forms = defineService({
  name: 'forms',
  description: 'Receives and stores form submissions.',
  team: 'web',
  tier: 'high',
  dependsOn: ['api'],
  selector: { job: 'forms' },
  traffic: { requests, errors, latency },
  alerts: [
    // SPEC "Latency / performance objectives": form submission 1 s. Only submissions (POST)
    // count; loading a form is the web app's page load.
    {
      name: 'FormSubmissionSlow',
      expr: quantile(0.95, select(httpDuration, { method: 'POST' })),
      levels: { warning: 1 },
      for: '5m',
      summary: 'forms p95 submission time is {{ $value | humanizeDuration }}',
      description:
        'The 95th percentile of form submission (job {{ $labels.job }}, POST) time is {{ $value | humanizeDuration }}, above the 1 s target.',
    },
  ],
});
