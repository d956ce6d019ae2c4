import { average, defineService, histogram, latencySlo, notRe, quantile, ratio, ratioSlo, re, select } from '../../src/index.ts';
import { httpDuration, httpRequests } from '../metrics.ts';

// The event-day critical paths (job "event-day"): what guests and hosts use on the day itself.
// SPEC "Time-aware monitoring": during an event window, warnings of these paths page at once.

/** Photo upload time, by client (mobile, web). Holds 5 s; the largest bucket is far above. */
export const photoUploadDuration = histogram({
  name: 'photo_upload_duration_seconds',
  help: 'Time to upload a photo, by client.',
  labels: ['client'],
  buckets: [0.5, 1, 2, 5, 10, 20, 30, 60],
});

/** Time between a timeline change and its arrival at every connected client. */
export const timelineSyncPropagation = histogram({
  name: 'timeline_sync_propagation_seconds',
  help: 'Time for a timeline change to reach every connected client.',
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

const requests = select(httpRequests);
const errors = select(httpRequests, { code: re('5..') });
const succeeded = select(httpRequests, { code: notRe('5..') });

export const eventDay = defineService({
  name: 'event-day',
  description: 'Event-day critical paths: photo upload, guest list, timeline sync.',
  team: 'events',
  tier: 'critical',
  dependsOn: ['api', 'database'],
  selector: { job: 'event-day' },
  traffic: { requests, errors, latency: select(httpDuration) },
  slos: [
    // SPEC: availability SLO 99.9 % over 30 days.
    ratioSlo({
      name: 'availability',
      description: '99.9 % of event-day requests succeed over 30 days.',
      objective: 99.9,
      window: '30d',
      errors,
      total: requests,
    }),
    // SPEC: guest list access 1 s on the critical path, as an objective for every request:
    // 95 % within 1 s (a bucket of http_request_duration_seconds). Latency spikes are judged
    // against it (platform policy).
    latencySlo({
      name: 'latency',
      description: '95 % of event-day requests complete within 1 s over 30 days.',
      objective: 95,
      window: '30d',
      histogram: select(httpDuration),
      threshold: 1,
    }),
  ],
  optOut: { disk: 'stateless: photos go to object storage, the guest list and timeline to the database' },
  alerts: [
    // SPEC "Alert conditions": "availability drop below 99.9 % for 1 minute → critical, immediate".
    // A 2m rate window: the shortest that still holds two samples at a 1m scrape interval.
    {
      name: 'EventDayAvailabilityLow',
      expr: ratio(succeeded, requests, { window: '2m' }),
      direction: 'below',
      levels: { critical: 99.9 },
      for: '1m',
      summary: 'event-day availability dropped to {{ printf "%.2f" $value }} %',
      description:
        'Only {{ printf "%.2f" $value }} % of event-day (job {{ $labels.job }}) requests succeeded over the last 2 minutes, ' +
        'below 99.9 %. Guests and hosts are affected right now.',
    },
    // SPEC: photo upload (mobile) 5 s average.
    {
      name: 'EventDayPhotoUploadSlow',
      expr: average(select(photoUploadDuration, { client: 'mobile' })),
      levels: { warning: 5 },
      for: '5m',
      summary: 'event-day mobile photo upload takes {{ $value | humanizeDuration }} on average',
      description:
        'Mobile photo uploads on event-day (job {{ $labels.job }}) take {{ $value | humanizeDuration }} on average over 5 minutes, above the 5 s target.',
    },
    // SPEC: guest list access 1 s (p95 of the guest list route).
    {
      name: 'EventDayGuestListSlow',
      expr: quantile(0.95, select(httpDuration, { route: '/guest-list', method: 'GET' })),
      levels: { warning: 1 },
      for: '3m',
      summary: 'event-day guest list p95 is {{ $value | humanizeDuration }}',
      description:
        'The 95th percentile of guest list access time on event-day (job {{ $labels.job }}) is {{ $value | humanizeDuration }}, above the 1 s target.',
    },
    // SPEC: timeline sync propagation 100 ms (p95).
    {
      name: 'EventDayTimelineSyncSlow',
      expr: quantile(0.95, select(timelineSyncPropagation)),
      levels: { warning: 0.1 },
      for: '3m',
      summary: 'event-day timeline sync p95 is {{ $value | humanizeDuration }}',
      description:
        'The 95th percentile of timeline sync propagation on event-day (job {{ $labels.job }}) is {{ $value | humanizeDuration }}, ' +
        'above the 100 ms target: clients see stale timelines.',
    },
  ],
});
