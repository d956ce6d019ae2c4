import { describe, expect, it } from 'vitest';
import { sliFromBadAndTotal, sliFromErrorRatio, sliFromGoodAndTotal, sliFromThreshold } from '../../../src/import/slo/sli.ts';

// What an SLI query computes, as monforge's SLI kinds: only exact equivalences are accepted,
// everything else is refused with the reason.

const rate = (selector: string, range = '{{.window}}'): string => `sum(rate(${selector}[${range}]))`;
const code = (value: string) => ({ label: 'code', op: '=~', value });
const job = { label: 'job', op: '=', value: 'api' };

describe('Sloth events', () => {
  it('errors over total: a ratio SLO, whatever the spacing, increase or rate, with or without a 0 fallback', () => {
    const expected = {
      sli: {
        kind: 'ratio',
        errors: { metric: 'http_requests_total', matchers: [job, code('5..')] },
        total: { metric: 'http_requests_total', matchers: [job] },
      },
    };
    expect(sliFromBadAndTotal(rate('http_requests_total{job="api",code=~"5.."}'), rate('http_requests_total{job="api"}'), 'sloth')).toEqual(
      expected,
    );
    expect(
      sliFromBadAndTotal(
        '(sum(increase(http_requests_total{job="api",code=~"5.."}[{{ .window }}])) or on() vector(0))',
        'sum by () (\n  rate(http_requests_total{job="api"}[{{.window}}])\n)',
        'sloth',
      ),
    ).toEqual(expected);
  });

  it('total minus good: a ratio SLO of good events', () => {
    expect(
      sliFromBadAndTotal(`${rate('requests_total')} - ${rate('requests_total{code="200"}')}`, rate('requests_total'), 'sloth'),
    ).toEqual({
      sli: {
        kind: 'ratio',
        good: { metric: 'requests_total', matchers: [{ label: 'code', op: '=', value: '200' }] },
        total: { metric: 'requests_total', matchers: [] },
      },
    });
  });

  it('count minus a bucket over the count (or the +Inf bucket): a latency SLO', () => {
    const histogram = {
      kind: 'latency',
      histogram: { metric: 'apiserver_request_duration_seconds', matchers: [{ label: 'verb', op: '!=', value: 'WATCH' }] },
      threshold: 0.4,
    };
    const count = rate('apiserver_request_duration_seconds_count{verb!="WATCH"}');
    expect(
      sliFromBadAndTotal(`(${count} - ${rate('apiserver_request_duration_seconds_bucket{le="0.4",verb!="WATCH"}')})`, count, 'sloth'),
    ).toEqual({ sli: histogram });
    const inf = rate('apiserver_request_duration_seconds_bucket{le="+Inf",verb!="WATCH"}');
    expect(
      sliFromBadAndTotal(`${inf} - ${rate('apiserver_request_duration_seconds_bucket{verb!="WATCH",le="0.4"}')}`, inf, 'sloth'),
    ).toEqual({ sli: histogram });
  });

  it("gauge samples under a bound among all samples (Sloth's home-wifi): a gauge SLO", () => {
    const expected = { sli: { kind: 'gauge', gauge: { metric: 'satisfaction', matchers: [] }, good: { kind: 'atLeast', value: 0.75 } } };
    expect(
      sliFromBadAndTotal(
        'sum_over_time((count(satisfaction < 0.75))[{{.window}}:]) OR on() vector(0)',
        'sum_over_time((count(satisfaction))[{{.window}}:])',
        'sloth',
      ),
    ).toEqual(expected);
    expect(
      sliFromBadAndTotal(
        'sum(count_over_time((0.75 > satisfaction)[{{.window}}:]))',
        'sum(count_over_time((satisfaction)[{{.window}}:]))',
        'sloth',
      ),
    ).toEqual(expected);
  });

  it.each([
    ['no {{.window}}', rate('x_total', '5m'), rate('x_total', '5m'), 'the error query does not read {{.window}}'],
    [
      'a fixed range',
      `${rate('x_total')} - ${rate('x_total{code="200"}', '5m')}`,
      rate('x_total'),
      'the right side of the error query reads a fixed range [5m] instead of [{{.window}}], so every window would count the same minutes',
    ],
    [
      'no sum',
      'rate(x_total{code="500"}[{{.window}}])',
      rate('x_total'),
      "the error query is not summed (sum(…)): an SLI divides series by series there, monforge's by their totals",
    ],
    [
      'a grouping',
      'sum by (route) (rate(x_total{code="500"}[{{.window}}]))',
      rate('x_total'),
      "the error query is summed by (route): monforge's SLIs are one series per SLO",
    ],
    ['an offset', 'sum(rate(x_total{code="500"}[{{.window}}] offset 1h))', rate('x_total'), 'the error query reads the past (offset 1h)'],
    [
      'a sum of two metrics',
      `${rate('a_total')} + ${rate('b_total')}`,
      rate('x_total'),
      "the error query is not summed (sum(…)): an SLI divides series by series there, monforge's by their totals",
    ],
    [
      'other series than the total',
      `${rate('a_total')} - ${rate('a_total{code="200"}')}`,
      rate('x_total'),
      'the error query subtracts from other series than the total query selects',
    ],
    [
      'a bucket without the count',
      rate('h_bucket{le="0.5"}'),
      rate('x_total'),
      'the error query counts a histogram bucket of h_bucket without its _count as the total',
    ],
    [
      'a subquery step',
      'sum_over_time((count(g < 1))[{{.window}}:1m])',
      'sum_over_time((count(g))[{{.window}}:1m])',
      "a subquery step of 1m: monforge counts a gauge's samples at the evaluation interval",
    ],
    [
      'gauges of other series',
      'sum_over_time((count(g{a="1"} < 1))[{{.window}}:])',
      'sum_over_time((count(g))[{{.window}}:])',
      'the error query and the total query count samples of different series',
    ],
    [
      'invalid PromQL',
      'sum(rate(x_total[{{.window}}]',
      rate('x_total'),
      'the error query is not valid PromQL: incomplete expression at end',
    ],
  ])('refuses %s with the reason', (_, bad, total, reason) => {
    expect(sliFromBadAndTotal(bad, total, 'sloth')).toEqual({ reason });
  });
});

describe('raw error ratios', () => {
  it('bad / total and 1 - good / total', () => {
    expect(sliFromErrorRatio(`${rate('x_total{code="500"}')} / ${rate('x_total')}`, 'sloth')).toMatchObject({
      sli: { kind: 'ratio', errors: { metric: 'x_total' } },
    });
    expect(sliFromErrorRatio(`1 - (${rate('h_bucket{le="1"}')} / ${rate('h_count')})`, 'sloth')).toEqual({
      sli: { kind: 'latency', histogram: { metric: 'h', matchers: [] }, threshold: 1 },
    });
  });

  it("the mean of a gauge (Sloth's raw home-wifi): a gauge SLO whose every sample is its own share of good", () => {
    expect(
      sliFromErrorRatio(
        '1 - (\n  sum(sum_over_time(g{a="b"}[{{.window}}]))\n  /\n  sum(count_over_time(g{a="b"}[{{.window}}]))\n)',
        'sloth',
      ),
    ).toEqual({
      sli: { kind: 'gauge', gauge: { metric: 'g', matchers: [{ label: 'a', op: '=', value: 'b' }] }, good: 'value' },
    });
    expect(sliFromErrorRatio('1 - (sum(sum_over_time(g[{{.window}}])) / sum(count_over_time(h[{{.window}}])))', 'sloth')).toEqual({
      reason: 'the error ratio query sums and counts samples of different series',
    });
    expect(sliFromErrorRatio('1 - avg_over_time(up{job="a"}[{{.window}}])', 'sloth')).toEqual({
      reason: 'the error ratio query is not a ratio of two sums of counter rates (bad / total, or 1 - good / total)',
    });
  });
});

describe('OpenSLO', () => {
  it('counters as they are (counter: true), summed or not; rates over any range otherwise', () => {
    expect(sliFromGoodAndTotal('h_bucket{le="0.25",job="api"}', 'sum(h_count{job="api"})', 'counter')).toEqual({
      sli: { kind: 'latency', histogram: { metric: 'h', matchers: [job] }, threshold: 0.25 },
    });
    expect(sliFromGoodAndTotal('sum(rate(x_total{code!~"5.."}[1m]))', 'sum(rate(x_total[1m]))', 'rate')).toMatchObject({
      sli: { kind: 'ratio', good: {} },
    });
    expect(sliFromGoodAndTotal('sum(rate(x_total[1m]))', 'sum(rate(x_total[1m]))', 'counter')).toEqual({
      reason: 'the good query takes a rate although the metric is declared a counter (counter: true)',
    });
  });

  it('a threshold metric is a gauge selector; anything else is refused', () => {
    expect(sliFromThreshold('Any', 'lt', 500)).toEqual({
      sli: { kind: 'gauge', gauge: { metric: 'Any', matchers: [] }, good: { kind: 'below', value: 500 } },
    });
    expect(sliFromThreshold('histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))', 'lte', 0.5)).toEqual({
      reason: "the threshold query is not a gauge selector: monforge's gauge SLOs count the samples of a gauge",
    });
  });
});
