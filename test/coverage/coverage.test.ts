import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCoverage, type CoverageReport } from '../../src/coverage/analyze.ts';
import { formatCoverage } from '../../src/coverage/format.ts';
import { average, counter, defineService, histogram, quantile, ratio, re, select } from '../../src/index.ts';
import { buildPlatform, loadPlatform } from '../../src/load/load.ts';
import { config, platformTeam } from '../fixtures/platform/definitions/platform.ts';
import { fixtureRoot, monforgeInProcess, repoRoot } from '../helpers/index.ts';

let report: CoverageReport;

beforeAll(async () => {
  report = analyzeCoverage(await loadPlatform(fixtureRoot('policies')));
});

const signals = (service: string) => report.services.find((each) => each.service === service)!.signals;

describe('coverage', () => {
  it('names what covers each signal, with the policy that generated an alert', () => {
    expect(signals('checkout')).toMatchObject({
      latencySlo: { status: 'covered', by: ['slo "latency"'] },
      errorRatio: { status: 'covered', by: ['CheckoutErrorRatioHigh (policy critical-tier)'] },
      liveness: { status: 'covered', by: ['CheckoutDown', 'CheckoutTargetsDown (policy platform-default)'] },
      absent: { status: 'covered', by: ['CheckoutTargetsAbsent', 'CheckoutMetricAbsent (8 metrics)'] },
      dashboard: { status: 'covered', by: ['svc-checkout'] },
    });
  });

  it('tells opted-out signals by their reason, and says why a missing one is missing', () => {
    expect(signals('worker').saturation).toEqual({
      status: 'covered',
      resources: {
        memory: { status: 'covered', by: ['WorkerQueueFull'] },
        cpu: { status: 'opted out', reason: 'single-threaded batch worker: CPU saturation is its normal state' },
        disk: { status: 'opted out', reason: 'stateless' },
      },
    });
    expect(signals('worker').errorRatio).toEqual({
      status: 'missing',
      reason: 'policy "platform-default" needs traffic (requests and errors) to measure an error ratio',
    });
    expect(signals('worker').playbook).toEqual({ status: 'missing', reason: 'no playbook handles its alerts' });
    expect(report.totals).toEqual({ covered: 11, 'opted out': 0, missing: 7 });
  });

  it('prints a Markdown table, totals and the gaps', () => {
    expect(formatCoverage(report, 'markdown')).toBe(
      [
        '| service | tier | availability SLO | latency SLO | error ratio | latency | liveness | absent | saturation | playbook | dashboard |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        '| checkout | critical | **missing** | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | **missing** | ✓ |',
        '| worker | medium | **missing** | **missing** | **missing** | **missing** | ✓ | ✓ | memory ✓; cpu opted out (single-threaded batch worker: CPU saturation is its normal state); disk opted out (stateless) | **missing** | ✓ |',
        '',
        '11 covered, 0 opted out, 7 missing.',
        '',
        'Missing:',
        '- checkout › availability SLO: no ratio SLO',
        '- checkout › playbook: no playbook handles its alerts',
        '- worker › availability SLO: no ratio SLO',
        '- worker › latency SLO: no latency SLO',
        '- worker › error ratio: policy "platform-default" needs traffic (requests and errors) to measure an error ratio',
        '- worker › latency: policy "platform-default" needs a latency SLO: a spike is measured against its threshold',
        '- worker › playbook: no playbook handles its alerts',
        '',
      ].join('\n'),
    );
  });

  it('npx monforge coverage: JSON, --fail-on missing exits 1 on a gap, a bad option exits 2', async () => {
    const root = fixtureRoot('policies');
    const json = await monforgeInProcess(root, 'coverage', '--format', 'json');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as CoverageReport).totals).toEqual(report.totals);
    expect((await monforgeInProcess(root, 'coverage', '--fail-on', 'missing')).code).toBe(1);
    expect((await monforgeInProcess(root, 'coverage', '--format', 'html')).code).toBe(2);
    expect((await monforgeInProcess(root, 'coverage', '--fail-on', 'opted-out')).code).toBe(2);
  });

  it('finds no unexplained gap in the example platform', async () => {
    const result = await monforgeInProcess(repoRoot, 'coverage', '--fail-on', 'missing');
    expect(result.stdout).toContain(' 0 missing.');
    expect(result.code).toBe(0);
  });

  it('counts an alert on the service\'s own traffic as latency or error-ratio coverage without `covers`, and says it was inferred', () => {
    const requests = counter({ name: 'http_requests_total', help: 'Requests.', labels: ['route', 'code'] });
    const duration = histogram({ name: 'http_request_duration_seconds', help: 'Latency.', labels: ['route'], buckets: [0.1, 0.5, 1, 2] });
    const traffic = { requests: select(requests), errors: select(requests, { code: re('5..') }), latency: select(duration) };
    const text = { summary: 'shop is unwell', description: 'shop is unwell.' };
    const shop = defineService({
      name: 'shop',
      team: 'platform',
      tier: 'high',
      selector: { job: 'shop' },
      traffic,
      alerts: [
        { name: 'ShopSlow', expr: quantile(0.95, select(duration)), levels: { warning: 1 }, ...text },
        { name: 'ShopSlowOnAverage', expr: average(select(duration)), levels: { warning: 0.5 }, ...text },
        // Only one route: not the service's latency.
        { name: 'ShopCartSlow', expr: quantile(0.95, select(duration, { route: '/cart' })), levels: { warning: 1 }, ...text },
        { name: 'ShopFailing', expr: ratio(select(requests, { code: re('5..') }), select(requests)), levels: { warning: 1 }, ...text },
      ],
    });
    const errors: string[] = [];
    const exported = [config, platformTeam, shop].map((value) => ({ source: 'definitions/shop.ts', exportName: 'x', value }));
    const platform = buildPlatform(exported, (error) => errors.push(error.message));
    expect(errors).toEqual([]);
    const inferred = analyzeCoverage(platform!);
    const cells = inferred.services[0]!.signals;
    expect(cells.latency).toEqual({
      status: 'covered',
      by: ['ShopSlow (p95 of traffic.latency)', 'ShopSlowOnAverage (mean of traffic.latency)'],
      inferred: ['ShopSlow (p95 of traffic.latency)', 'ShopSlowOnAverage (mean of traffic.latency)'],
    });
    expect(cells.errorRatio).toEqual({
      status: 'covered',
      by: ['ShopFailing (traffic.errors over traffic.requests)'],
      inferred: ['ShopFailing (traffic.errors over traffic.requests)'],
    });
    expect(formatCoverage(inferred, 'markdown')).toContain(
      [
        'Inferred (alerts without `covers` that measure the signal; add `covers` to say so):',
        '- shop › error ratio: ShopFailing (traffic.errors over traffic.requests)',
        '- shop › latency: ShopSlow (p95 of traffic.latency)',
        '- shop › latency: ShopSlowOnAverage (mean of traffic.latency)',
      ].join('\n'),
    );
  });
});
