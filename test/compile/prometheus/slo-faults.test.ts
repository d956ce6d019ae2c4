import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../../../src/check/tools.ts';
import { expectedAlert } from '../../../src/compile/prometheus/promtool-cases/expect.ts';
import { isAlertingRule, type AlertingRule } from '../../../src/compile/prometheus/rules.ts';
import { serviceRuleGroups } from '../../../src/compile/prometheus/service-rules.ts';
import { counter, defineService, histogram, latencySlo, ratioSlo, re, select } from '../../../src/index.ts';
import type { PlatformConfig } from '../../../src/model/config.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import { toYaml } from '../../../src/output/serialize.ts';
import { fixtureRoot } from '../../helpers/index.ts';

// Issue 25's SLO examples, with its numbers, against promtool: errors during a scrape gap, a
// route whose histogram lacks the threshold's bucket, and the budget a day after deploying.

let config: PlatformConfig;
let dir: string;

beforeAll(async () => {
  config = (await loadPlatform(fixtureRoot('platform'))).config;
  dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-slo-faults-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const requests = counter({ name: 'http_requests_total', help: 'Requests.', labels: ['code'] });
const duration = histogram({ name: 'http_request_duration_seconds', help: 'Latency.', labels: ['route'], buckets: [0.1, 0.25, 1] });

/** A 28d availability SLO over http_requests_total, errors being 5xx. */
const availability = (objective: number) =>
  ratioSlo({ name: 'availability', objective, window: '28d', errors: select(requests, { code: re('5..') }), total: select(requests) });

const shop = (slos: Parameters<typeof defineService>[0]['slos']) =>
  defineService({ name: 'shop', team: 'platform', tier: 'high', selector: { job: 'shop' }, slos });

/** The alert promtool must see for a rule of the service, by name. */
function alert(service: ReturnType<typeof shop>, name: string, labels: Record<string, string>) {
  const rule = serviceRuleGroups(config, service)
    .flatMap((group) => group.rules)
    .find((each) => isAlertingRule(each) && each.alert === name) as AlertingRule;
  return expectedAlert(rule, labels, 0);
}

/** Runs promtool on the service's rules and one test group. */
async function promtool(name: string, service: ReturnType<typeof shop>, evaluationInterval: string, group: object) {
  await writeFile(path.join(dir, `${name}.rules.yml`), toYaml({ groups: serviceRuleGroups(config, service) }));
  const order = (service.slos ?? []).flatMap((slo) => [`shop-slo-${slo.name}-long`, `shop-slo-${slo.name}`]);
  const tests = { rule_files: [`${name}.rules.yml`], evaluation_interval: evaluationInterval, group_eval_order: order, tests: [group] };
  await writeFile(path.join(dir, `${name}.test.yml`), toYaml(tests));
  return runTool('promtool', ['test', 'rules', `${name}.test.yml`], dir);
}

const value = (expr: string, at: string, expected: number, tolerance: number, labels = '{}') => ({
  expr: `abs(${expr} - ${expected}) < bool ${tolerance}`,
  eval_time: at,
  exp_samples: [{ labels, value: 1 }],
});

describe('SLO rules under issue 25', () => {
  it('count a 20-minute outage whose every scrape failed: the page fires two minutes after it, half the 28d budget gone', async () => {
    // 28d at 99.95 %, 10,000 requests a minute on two instances; 2:00–2:20 no scrape succeeds
    // while half the requests fail, then healthy again: 100,000 errors, 49.6 % of the budget.
    const service = shop([availability(99.95)]);
    const page = alert(service, 'ShopAvailabilityBudgetBurnPage', { service: 'shop', slo: 'availability' });
    const result = await promtool('gap', service, '1m', {
      name: 'outage during a scrape gap',
      interval: '1m',
      // Per instance 5,000 requests a minute; minutes 120–139 unscraped, 2,500 of them failing.
      input_series: [0, 1].flatMap((instance) => [
        { series: `http_requests_total{code="500",instance="${instance}",job="shop"}`, values: '0+0x119 _x20 50000+0x60' },
        { series: `http_requests_total{code="200",instance="${instance}",job="shop"}`, values: '0+5000x119 _x20 650000+5000x60' },
      ]),
      alert_rule_test: [
        { eval_time: '141m', alertname: 'ShopAvailabilityBudgetBurnPage', exp_alerts: [] },
        { eval_time: '142m', alertname: 'ShopAvailabilityBudgetBurnPage', exp_alerts: [page] },
      ],
      promql_expr_test: [
        // Five minutes after the gap the 30m and 6h windows hold its 100,000 errors, as raw increase() does while it reaches back before the gap.
        ...['30m', '6h'].map((window) =>
          value(
            `sum_over_time(slo:sli_bad_events:rate5m{slo="availability"}[${window}]) * 60 / on() sum(increase(http_requests_total{code="500"}[${window}]))`,
            '145m',
            1,
            0.05,
          ),
        ),
        // 100,000 errors of the 201,600 a 28d window at this traffic allows.
        value(
          'slo:period_error_budget_remaining:ratio{slo="availability"}',
          '3h',
          1 - 100_000 / 201_600,
          0.01,
          '{service="shop", slo="availability"}',
        ),
      ],
    });
    expect(result.output).toContain('SUCCESS');
  });
  it('leave series without the threshold bucket out of a latency SLO, and warn about them', async () => {
    // Route "a" serves 10,000 requests a minute, 1 % slower than 0.25 s; route "b" 1,000 with no
    // 0.25 bucket, which counted as slow read 0.1 instead of 0.01. A second SLO's histogram has
    // no 0.25 bucket anywhere: its SLI is absent, and the warning names the series.
    const legacy = histogram({ name: 'legacy_duration_seconds', help: 'Latency.', buckets: [0.1, 1] });
    const service = shop([
      latencySlo({ name: 'latency', objective: 99, histogram: select(duration), threshold: 0.25 }),
      latencySlo({ name: 'legacy', objective: 99, histogram: select(legacy), threshold: 0.25 }),
    ]);
    const bucket = (name: string, labels: string, le: string, per: number) => ({
      series: `${name}_bucket{${labels},le="${le}"}`,
      values: `0+${per}x20`,
    });
    const count = (name: string, labels: string, per: number) => ({ series: `${name}_count{${labels}}`, values: `0+${per}x20` });
    const a = 'job="shop",route="a"';
    const b = 'job="shop",route="b"';
    const missing = (slo: string, labels: Record<string, string>) => alert(service, `Shop${slo}ThresholdBucketMissing`, labels);
    const result = await promtool('buckets', service, '1m', {
      name: 'threshold bucket missing',
      interval: '1m',
      input_series: [
        bucket('http_request_duration_seconds', a, '0.25', 9900),
        bucket('http_request_duration_seconds', a, '+Inf', 10000),
        count('http_request_duration_seconds', a, 10000),
        bucket('http_request_duration_seconds', b, '0.1', 500),
        bucket('http_request_duration_seconds', b, '+Inf', 1000),
        count('http_request_duration_seconds', b, 1000),
        bucket('legacy_duration_seconds', a, '0.1', 500),
        bucket('legacy_duration_seconds', a, '+Inf', 1000),
        count('legacy_duration_seconds', a, 1000),
      ],
      alert_rule_test: [
        { eval_time: '15m', alertname: 'ShopLatencyThresholdBucketMissing', exp_alerts: [] },
        { eval_time: '16m', alertname: 'ShopLatencyThresholdBucketMissing', exp_alerts: [missing('Latency', { job: 'shop', route: 'b' })] },
        { eval_time: '16m', alertname: 'ShopLegacyThresholdBucketMissing', exp_alerts: [missing('Legacy', { job: 'shop', route: 'a' })] },
      ],
      promql_expr_test: [
        value('slo:sli_error:ratio_rate5m{slo="latency"}', '10m', 0.01, 1e-9, '{service="shop", slo="latency"}'),
        {
          expr: 'absent(slo:sli_error:ratio_rate5m{slo="legacy"})',
          eval_time: '10m',
          exp_samples: [{ labels: '{slo="legacy"}', value: 1 }],
        },
      ],
    });
    expect(result.output).toContain('SUCCESS');
  });

  it('report the budget of a 28d SLO one day after deploying over the history there is, marked partial', async () => {
    // 1,000 requests a minute at 2.78 % errors for a day: 27.8 × the 0.1 % budget, which over a
    // whole window leaves 0.7 % of it; against the day alone it read −26.8.
    const service = shop([availability(99.9)]);
    // The history starts when the slow group, first in each round, sees the first aggregate (at 5m): at 10m.
    const coverage = (86_400 - 600) / (28 * 86_400);
    const result = await promtool('young', service, '5m', {
      name: 'a day after deploying',
      interval: '1m',
      input_series: [
        { series: 'http_requests_total{code="500",job="shop"}', values: '0+27.8x1440' },
        { series: 'http_requests_total{code="200",job="shop"}', values: '0+972.2x1440' },
      ],
      alert_rule_test: [],
      promql_expr_test: [
        value('slo:period_coverage:ratio', '1440m', coverage, 1e-9, '{service="shop", slo="availability"}'),
        value('slo:period_error_budget_remaining:ratio', '1440m', 1 - 27.8 * coverage, 1e-6, '{service="shop", slo="availability"}'),
        value('slo:period_burn_rate:ratio', '1440m', 27.8, 1e-6, '{service="shop", slo="availability"}'),
      ],
    });
    expect(result.output).toContain('SUCCESS');
  });
});
