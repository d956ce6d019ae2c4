import { defineService, latencySlo, quantile, ratioSlo, re, select } from '../../src/index.ts';
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
  slos: [
    // SPEC: availability 99.9 % over 30 days.
    ratioSlo({
      name: 'availability',
      description: '99.9 % of form requests succeed over 30 days.',
      objective: 99.9,
      window: '30d',
      errors,
      total: requests,
    }),
    // SPEC: form submission 1 s, as an objective: 95 % of submissions (POST) within 1 s.
    latencySlo({
      name: 'submission-latency',
      description: '95 % of form submissions complete within 1 s over 30 days.',
      objective: 95,
      window: '30d',
      histogram: select(httpDuration, { method: 'POST' }),
      threshold: 1,
    }),
  ],
  optOut: {
    disk: 'stateless: submissions are stored by the api',
    playbook: 'a restart would drop submissions in flight, which browsers do not resend: a human decides',
  },
  alerts: [
    // SPEC "Latency / performance objectives": form submission 1 s. Only submissions (POST)
    // count; loading a form is the web app's page load.
    {
      name: 'FormSubmissionSlow',
      expr: quantile(0.95, select(httpDuration, { method: 'POST' })),
      levels: { warning: 1 },
      for: '5m',
      covers: 'latency',
      summary: 'forms p95 submission time is {{ $value | humanizeDuration }}',
      description:
        'The 95th percentile of form submission (job {{ $labels.job }}, POST) time is {{ $value | humanizeDuration }}, above the 1 s target.',
    },
  ],
});
