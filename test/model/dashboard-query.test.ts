import { describe, expect, it } from 'vitest';
import { query } from '../../src/model/dashboard.ts';
import { counter } from '../../src/model/metric.ts';
import { not, notRe, re, select } from '../../src/model/selector.ts';

const requests = counter({ name: 'http_requests_total', help: 'Requests.', labels: ['code', 'route'] });

describe('query`…`', () => {
  it('renders typed selectors with every operator, and anything else as text', () => {
    const errors = select(requests, { code: re('5..'), route: not('/health') });
    expect(query`sum(rate(${errors}[${'$__rate_interval'}])) / ${2}`).toBe(
      'sum(rate(http_requests_total{code=~"5..",route!="/health"}[$__rate_interval])) / 2',
    );
    expect(query`${select(requests)} unless ${select(requests, { route: notRe('/internal/.*'), code: '200' })}`).toBe(
      'http_requests_total unless http_requests_total{code="200",route!~"/internal/.*"}',
    );
  });
});
