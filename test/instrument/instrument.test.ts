import { describe, expect, it } from 'vitest';
import { counter, gauge, histogram } from '../../src/index.ts';
import { instrument } from '../../src/instrument/index.ts';

const httpRequests = counter({ name: 'http_requests_total', help: 'HTTP requests.', labels: ['route', 'method', 'code'] });
const httpDuration = histogram({ name: 'http_request_duration_seconds', help: 'Latency.', labels: ['route'], buckets: [0.1, 0.5] });
const queueDepth = gauge({ name: 'queue_depth', help: 'Queued jobs.' });

describe('typed instrumentation', () => {
  it('exposes the defined names, help, labels and buckets', async () => {
    const metrics = instrument({ httpRequests, httpDuration, queueDepth });
    metrics.httpRequests.inc({ route: '/checkout', method: 'POST', code: 500 });
    metrics.httpRequests.inc({ route: '/checkout', method: 'POST', code: 500 }, 2);
    metrics.httpDuration.observe({ route: '/checkout' }, 0.3);
    metrics.queueDepth.set(7);
    metrics.queueDepth.dec();
    expect(await metrics.registry.metrics()).toBe(
      [
        '# HELP http_requests_total HTTP requests.',
        '# TYPE http_requests_total counter',
        'http_requests_total{route="/checkout",method="POST",code="500"} 3',
        '',
        '# HELP http_request_duration_seconds Latency.',
        '# TYPE http_request_duration_seconds histogram',
        'http_request_duration_seconds_bucket{le="0.1",route="/checkout"} 0',
        'http_request_duration_seconds_bucket{le="0.5",route="/checkout"} 1',
        'http_request_duration_seconds_bucket{le="+Inf",route="/checkout"} 1',
        'http_request_duration_seconds_sum{route="/checkout"} 0.3',
        'http_request_duration_seconds_count{route="/checkout"} 1',
        '',
        '# HELP queue_depth Queued jobs.',
        '# TYPE queue_depth gauge',
        'queue_depth 6',
        '',
      ].join('\n'),
    );
  });

  it('times with startTimer', async () => {
    const metrics = instrument({ httpDuration });
    const end = metrics.httpDuration.startTimer({ route: '/' });
    expect(end()).toBeGreaterThanOrEqual(0);
    expect(await metrics.registry.metrics()).toContain('http_request_duration_seconds_count{route="/"} 1');
  });
});
