import { describe, expect, it } from 'vitest';
import { counterRanges, withCounterRange } from '../../src/promql/ranges.ts';

describe('counter ranges', () => {
  it('finds the ranges rate, irate and increase read, and no other', () => {
    const expr =
      'sum(rate(a_total{code=~"5.."}[5m])) / increase(b_total [ 1h ]) + avg_over_time(c[10m]) + irate({__name__="d_total", x="]"}[30s])';
    expect(counterRanges(expr).map(({ fn, metric, text }) => `${fn} ${metric} ${text}`)).toEqual([
      'rate a_total 5m',
      'increase b_total 1h',
      'irate d_total 30s',
    ]);
  });

  it('rewrites them for dashboards, leaving everything else alone', () => {
    expect(
      withCounterRange('rate(x_total[5m]) / max_over_time(y[1h]) * increase(z_total{a="[1m]"}[1d] offset 1h)', '$__rate_interval'),
    ).toBe('rate(x_total[$__rate_interval]) / max_over_time(y[1h]) * increase(z_total{a="[1m]"}[$__rate_interval] offset 1h)');
  });

  it('finds none in an expression that does not parse', () => {
    expect(counterRanges('rate(x[5m]')).toEqual([]);
  });
});
