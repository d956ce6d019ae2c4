import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../../src/check/live/client.ts';
import { findingLine } from '../../../src/check/live/format.ts';
import type { LiveCheck, LiveReport } from '../../../src/check/live/types.ts';
import { freePort } from '../../../scripts/stack/processes.ts';
import { send, startStandIn } from '../../apply/stand-ins/http.ts';
import { startMimirPrometheusApi } from '../../apply/stand-ins/mimir-prometheus.ts';
import { liveCheckOf, type Edit } from './project.ts';
import { startLonePrometheus, startScrapedPrometheus, type LoneServer, type ScrapedServer } from './servers.ts';

// `check --prometheus` against a real Prometheus scraping a real node_exporter (and itself):
// for every check a realistic mistake in test/fixtures/live and the finding it gives, on the
// line that fixes it; and the fixture as written (or a correct variant) giving none.

let server: ScrapedServer;
beforeAll(async () => {
  server = await startScrapedPrometheus();
}, 150_000);
afterAll(async () => {
  await server?.stop();
});

const check = (edit?: Edit, options?: Parameters<typeof liveCheckOf>[2]): Promise<LiveReport> => liveCheckOf(server, edit, options);

/** The findings that fail `--fail-on warning`, as `check` prints them. */
const failing = (report: LiveReport): string[] => report.findings.filter((finding) => finding.level !== 'note').map(findingLine);
const ofCheck = (report: LiveReport, name: LiveCheck): string[] =>
  report.findings.filter((finding) => finding.check === name).map(findingLine);

/** The playbook of the verify cases (a playbook needs the remediation receiver configured). */
const withPlaybook =
  (verify: string): Edit =>
  async (definitions) => {
    await definitions.replace(
      'platform.ts',
      "defineConfig({ runbookBaseUrl: 'https://runbooks.example.com/' })",
      "defineConfig({\n  runbookBaseUrl: 'https://runbooks.example.com/',\n  remediation: { url: 'http://127.0.0.1:9095/alerts', credentialsFile: '/etc/alertmanager/secrets/token' },\n})",
    );
    await definitions.write(
      'playbooks.ts',
      [
        "import { definePlaybook } from '../../../../src/index.ts';",
        '',
        'export const cpuRelief = definePlaybook({',
        "  name: 'cpu-relief',",
        "  match: { alertname: 'NodeCpuBusy' },",
        "  actions: [{ kind: 'log', name: 'note', message: 'cpu {{ $labels.cpu }} is busy' }],",
        `  verify: { query: '${verify}', within: '5m' },`,
        '});',
        '',
      ].join('\n'),
    );
  };

describe('the fixture as written', () => {
  it('gives no error and no warning; the 5xx series it exempts are a note', async () => {
    const report = await check();
    expect(failing(report)).toStrictEqual([]);
    expect(report.findings.map(findingLine)).toStrictEqual([
      'definitions/prometheus.ts:10: note: service "prometheus" › traffic.errors: no series of prometheus_http_requests_total within {job="prometheus"} has code=~"5.." now; values that exist: 200. Fix: none while it is absent until its first event (absent.exempt: no series until the first 5xx answer). [series/label-value]',
    ]);
    expect(report.server).toMatch(/^Prometheus 2\.\d+/);
  });
});

describe('series exist', () => {
  it('an unknown metric name: the closest names the server has, on the declaration', async () => {
    const report = await check((d) =>
      d.replace('metrics.ts', "name: 'node_memory_MemAvailable_bytes'", "name: 'node_memory_MemAvailable'"),
    );
    expect(failing(report)).toStrictEqual([
      'definitions/metrics.ts:13: error: metric "node_memory_MemAvailable" › name: the server has no series named node_memory_MemAvailable; closest names it has: node_memory_MemAvailable_bytes, node_memory_MemTotal_bytes, node_memory_MemFree_bytes. Fix: rename it to node_memory_MemAvailable_bytes. [series/unknown-metric]',
    ]);
  });

  it('a value no series has: the values that exist, closest first, on the matcher', async () => {
    const report = await check((d) => d.replace('node.ts', "mode: 'user'", "mode: 'usr'"));
    expect(failing(report)).toStrictEqual([
      'definitions/node.ts:21: error: service "node" › alert "NodeCpuBusy" › expr.numerator: no series of node_cpu_seconds_total within {job="node"} has mode="usr" now; values that exist: user, irq, idle, nice, steal, system, iowait, softirq. Fix: match a value that exists, such as "user". [series/label-value]',
    ]);
  });

  it('RE2 that JavaScript does not know, in raw PromQL, is left to the server: (?i)', async () => {
    const raw =
      (matcher: string): Edit =>
      (d) =>
        d.replace('node.ts', 'max by (job) (node_load1{job="node"})', `max by (job) (node_load1{job="node",${matcher}})`);
    const right = await check(raw('instance=~"(?i)127.*"'));
    expect(failing(right)).toStrictEqual([]);
    expect(right.costs.find((cost) => cost.name === 'NodeLoadHigh (warning)')).toMatchObject({ series: 1, samples: 1 });
    const wrong = await check(raw('instance=~"(?i)LOCALHOST:.*"'));
    expect(failing(wrong)).toStrictEqual([
      expect.stringMatching(
        /^definitions\/node\.ts:39: error: service "node" › alert "NodeLoadHigh" › expr: no series of node_load1 within \{job="node"\} has instance=~"\(\?i\)LOCALHOST:\.\*" now; values that exist: 127\.0\.0\.1:\d+\. Fix: match a value that exists, such as "127\.0\.0\.1:\d+"\. \[series\/label-value\]$/,
      ),
    ]);
  });

  it('a label the metric does not have: the labels it has', async () => {
    const report = await check(async (d) => {
      await d.replace('metrics.ts', "labels: ['cpu', 'mode'],", "labels: ['cpu', 'mode', 'core'],");
      await d.replace('node.ts', "mode: 'user'", "core: '0'");
    });
    expect(failing(report)).toStrictEqual([
      'definitions/node.ts:21: error: service "node" › alert "NodeCpuBusy" › expr.numerator: no series of node_cpu_seconds_total within {job="node"} has a label core; its labels: cpu, instance, job, mode. Fix: match one of its labels instead of core, or drop the matcher. [series/missing-label]',
    ]);
  });

  it('a service selector no target has: one finding, on the selector, not one per metric', async () => {
    const report = await check((d) => d.replace('node.ts', "selector: { job: 'node' }", "selector: { job: 'nodes' }"));
    expect(failing(report)).toStrictEqual([
      'definitions/node.ts:11: error: service "node" › selector: no target has job="nodes": the service\'s selector matches nothing; job values of targets: node, prometheus, prometheus-nobuckets. Fix: select the service\'s targets by labels they have (selector: { job: … }). [series/no-target]',
    ]);
  });

  it("a metric the service's targets do not export: which jobs do", async () => {
    const report = await check(async (d) => {
      await d.replace('prometheus.ts', 'import { defineService, latencySlo,', 'import { defineService, gaugeValue, latencySlo,');
      await d.replace(
        'prometheus.ts',
        "import { httpDuration, httpRequests } from './metrics.ts';",
        "import { httpDuration, httpRequests, load1 } from './metrics.ts';",
      );
      await d.replace(
        'prometheus.ts',
        '    },\n  ],\n});',
        "    },\n    {\n      name: 'PrometheusHostLoaded',\n      expr: gaugeValue(select(load1)),\n      levels: { warning: 100 },\n      summary: 'the host is loaded',\n      description: 'load {{ $value | humanize }}',\n    },\n  ],\n});",
      );
    });
    expect(failing(report)).toStrictEqual([
      'definitions/prometheus.ts:24: error: service "prometheus" › alert "PrometheusHostLoaded" › expr.gauge: node_load1 exists, but not on the targets of service "prometheus" ({job="prometheus"}); job values of the series that have it: node. Fix: name a metric the service\'s targets export, or move this to the service that exports node_load1. [series/not-on-targets]',
    ]);
  });

  it('grouping by a label no series has', async () => {
    const report = await check(async (d) => {
      await d.replace('metrics.ts', "labels: ['cpu', 'mode'],", "labels: ['cpu', 'mode', 'core'],");
      await d.rewrite('node.ts', (text) => text.replace("by: ['cpu']", "by: ['core']").replaceAll('$labels.cpu', '$labels.core'));
    });
    expect(failing(report)).toStrictEqual([
      'definitions/node.ts:21: warning: service "node" › alert "NodeCpuBusy" › expr.by: groups by core, which no series of node_cpu_seconds_total has: every series falls in one group. Fix: group by a label the series have (cpu, instance, job, mode). [series/group-label]',
    ]);
  });

  it('series absent until their first event are an error unless marked so in absent.exempt', async () => {
    const report = await check((d) =>
      d.replace(
        'prometheus.ts',
        "  absent: { exempt: { 'prometheus_http_requests_total{code=~\"5..\"}': 'no series until the first 5xx answer' } },\n",
        '',
      ),
    );
    expect(failing(report)).toStrictEqual([
      'definitions/prometheus.ts:10: error: service "prometheus" › traffic.errors: no series of prometheus_http_requests_total within {job="prometheus"} has code=~"5.." now; values that exist: 200. Fix: match a value that exists, such as "200". [series/label-value]',
    ]);
    // Exempting the whole metric works too (and keeps its absent detection off, as before).
    const whole = await check((d) =>
      d.replace(
        'prometheus.ts',
        "'prometheus_http_requests_total{code=~\"5..\"}': 'no series until the first 5xx answer'",
        "prometheus_http_requests_total: 'created at first use'",
      ),
    );
    expect(failing(whole)).toStrictEqual([]);
    expect(ofCheck(whole, 'series/label-value')).toHaveLength(1);
  });

  it("a playbook's verify query is checked within each service it handles", async () => {
    const wrong = await check(
      withPlaybook('sum(rate(node_cpu_seconds_total{job="{{ $labels.job }}",mode="idel",cpu="{{ $labels.cpu }}"}[1m])) > 0'),
    );
    expect(failing(wrong).filter((line) => line.includes('label-value'))).toStrictEqual([
      'definitions/playbooks.ts:7: error: playbook "cpu-relief" › verify.query: no series of node_cpu_seconds_total within {job="node"} has mode="idel" now; values that exist: idle, irq, nice, steal, user, iowait, system, softirq. Fix: match a value that exists, such as "idle". [series/label-value]',
    ]);
    const right = await check(withPlaybook('sum(rate(node_cpu_seconds_total{job="{{ $labels.job }}",mode="idle"}[1m])) > 0'));
    // The remediation receiver's own metrics are the compiler's reads: a warning until it is scraped.
    expect(failing(right)).toStrictEqual([
      'definitions/platform.ts:1: warning: record playbook:remediation_duration_seconds:mean1d (generated/prometheus/rules/remediation-outcomes.rules.yml) › expr: reads monforge_webhook_action_duration_seconds_sum, which the server has no series of: what exports it is not scraped yet. Fix: scrape what exports monforge_webhook_action_duration_seconds_sum (generated/prometheus/scrape/ holds the jobs monforge generates). [series/not-scraped]',
      'definitions/platform.ts:1: warning: record playbook:monforge_webhook_runs:increase1d (generated/prometheus/rules/remediation-outcomes.rules.yml) › expr: reads monforge_webhook_runs_total, which the server has no series of: what exports it is not scraped yet. Fix: scrape what exports monforge_webhook_runs_total (generated/prometheus/scrape/ holds the jobs monforge generates). [series/not-scraped]',
    ]);
  });
});

describe('resources', () => {
  /** The memory gauges of a resource catalog, which a saturation policy reads on every high-tier service. */
  const catalog =
    (used: string): Edit =>
    (d) =>
      d.write(
        'resources.ts',
        [
          "import { definePolicy, defineResources, gauge, select } from '../../../../src/index.ts';",
          "import { memoryTotal } from './metrics.ts';",
          '',
          `export const memoryUsed = gauge({ name: '${used}', help: 'Memory in use.', unit: 'bytes' });`,
          '',
          'export const resources = defineResources({ memory: { used: select(memoryUsed), capacity: select(memoryTotal) } });',
          '',
          "export const saturation = definePolicy({ name: 'saturation', saturation: { memory: { levels: { warning: 90 }, for: '5m' } } });",
          '',
        ].join('\n'),
      );

  it("the catalog's, where a saturation policy reads them: a gauge nobody exports, gauges not on a service's targets", async () => {
    const report = await check(catalog('node_memory_Used_bytes'));
    expect(failing(report)).toStrictEqual([
      'definitions/resources.ts:4: error: metric "node_memory_Used_bytes" › name: the server has no series named node_memory_Used_bytes; closest names it has: node_memory_Cached_bytes, node_memory_Mapped_bytes, node_memory_Shmem_bytes. Fix: rename it to node_memory_Cached_bytes. [series/unknown-metric]',
      'definitions/resources.ts:6: error: resources › memory.capacity: node_memory_MemTotal_bytes exists, but not on the targets of service "prometheus" ({job="prometheus"}); job values of the series that have it: node. Fix: name a metric the service\'s targets export, or move this to the service that exports node_memory_MemTotal_bytes. [series/not-on-targets]',
    ]);
  });

  it("a service's own replace the catalog's; a service that opts out reads none", async () => {
    const report = await check(async (d) => {
      await catalog('node_memory_Used_bytes')(d);
      await d.replace(
        'node.ts',
        'scrape: false,',
        'scrape: false,\n  resources: { memory: { used: select(memoryAvailable), capacity: select(memoryTotal) } },',
      );
      await d.replace('prometheus.ts', 'scrape: false,', "scrape: false,\n  optOut: { memory: 'its host is the node service' },");
    });
    expect(failing(report)).toStrictEqual([]);
  });
});

describe('rule groups: PromQL written by hand, as import writes it', () => {
  it('a misspelt metric, a value no series has through select(), a recorded series nobody records: each on its rule', async () => {
    const report = await check(async (d) => {
      await d.replace('rules.ts', "'node_load1 / on (instance)", "'node_load_1 / on (instance)");
      await d.replace('rules.ts', "{ mode: 'user' }", "{ mode: 'usr' }");
      await d.replace('rules.ts', "'instance:node_cpu_user:rate1m > 0.9'", "'instance:node_cpu_usr:rate1m > 0.9'");
    });
    expect(failing(report)).toStrictEqual([
      'definitions/rules.ts:13: error: rule group "node-extra" › record "instance:node_cpu_user:rate1m" › expr: no series of node_cpu_seconds_total has mode="usr" now; values that exist: user, irq, idle, nice, steal, system, iowait, softirq. Fix: match a value that exists, such as "user". [series/label-value]',
      'definitions/rules.ts:17: error: rule group "node-extra" › alert "NodeLoadPerCpuHigh" › expr: the server has no series named node_load_1; closest names it has: node_load1, node_load15, node_load5. Fix: rename it to node_load1. [series/unknown-metric]',
      'definitions/rules.ts:24: error: rule group "node-extra" › alert "NodeCpuUserHigh" › expr: reads the recorded series instance:node_cpu_usr:rate1m, which neither generated/ nor the server records (closest recorded: instance:node_cpu_user:rate1m). Fix: read instance:node_cpu_user:rate1m, or record instance:node_cpu_usr:rate1m with a recording rule. [recording/missing]',
    ]);
  });

  it("an absent() alert's for under four scrape intervals", async () => {
    const report = await check((d) => d.replace('rules.ts', "for: '1m'", "for: '10s'"));
    expect(failing(report)).toStrictEqual([
      'definitions/rules.ts:32: warning: rule group "node-extra" › alert "NodeExporterAbsent" › for: absent() fires after 10s, fewer than 4 scrapes at the 5s scrape interval of job="node": a late scrape pages. Fix: for: \'20s\' or more. [window/absent-for]',
    ]);
  });

  it("each rule's cost on its own line, as the generated rule file has it", async () => {
    const report = await check();
    expect(
      report.costs
        .filter((cost) => cost.file === 'definitions/rules.ts')
        .map(({ kind, name, generated, line }) => [kind, name, generated, line]),
    ).toStrictEqual([
      ['record', 'instance:node_cpu_user:rate1m', 'prometheus/rules/node.groups.rules.yml', 12],
      ['alert', 'NodeLoadPerCpuHigh (warning)', 'prometheus/rules/node.groups.rules.yml', 16],
      ['alert', 'NodeCpuUserHigh (warning)', 'prometheus/rules/node.groups.rules.yml', 23],
      ['alert', 'NodeExporterAbsent (critical)', 'prometheus/rules/node.groups.rules.yml', 30],
    ]);
  });
});

describe('gauge SLOs', () => {
  it("a gauge the service's targets do not export", async () => {
    const report = await check(async (d) => {
      await d.replace('prometheus.ts', 'import { defineService, latencySlo,', 'import { defineService, gaugeSlo, latencySlo,');
      await d.replace(
        'prometheus.ts',
        "import { httpDuration, httpRequests } from './metrics.ts';",
        "import { httpDuration, httpRequests, load1 } from './metrics.ts';",
      );
      await d.replace(
        'prometheus.ts',
        '  slos: [',
        "  slos: [\n    gaugeSlo({ name: 'host-load', objective: 99, gauge: select(load1), good: { atMost: 64 } }),",
      );
    });
    expect(failing(report)).toStrictEqual([
      'definitions/prometheus.ts:14: error: service "prometheus" › slo "host-load" › gauge: node_load1 exists, but not on the targets of service "prometheus" ({job="prometheus"}); job values of the series that have it: node. Fix: name a metric the service\'s targets export, or move this to the service that exports node_load1. [series/not-on-targets]',
    ]);
  });
});

describe('types against the metadata', () => {
  it('a gauge declared as a counter', async () => {
    const report = await check((d) => d.replace('metrics.ts', 'export const load1 = gauge(', 'export const load1 = counter('));
    expect(failing(report)).toStrictEqual([
      'definitions/metrics.ts:24: error: metric "node_load1" › kind: node_load1 is a gauge on the server, declared with counter(): rate() of a gauge is meaningless and drops at every decrease. Fix: declare it with gauge(…). [type/kind]',
    ]);
  });

  it('a counter declared as a gauge', async () => {
    const report = await check((d) =>
      d.replace('metrics.ts', "name: 'node_memory_MemAvailable_bytes'", "name: 'node_context_switches_total'"),
    );
    expect(failing(report)).toStrictEqual([
      'definitions/metrics.ts:13: error: metric "node_context_switches_total" › kind: node_context_switches_total is a counter on the server, declared with gauge(): its raw value only grows, so levels compared with it are met once and stay met. Fix: declare it with counter(…). [type/kind]',
    ]);
  });

  it('a summary declared as a histogram', async () => {
    const report = await check((d) =>
      d.replace('metrics.ts', "name: 'prometheus_http_request_duration_seconds',", "name: 'go_gc_duration_seconds',"),
    );
    expect(failing(report)).toStrictEqual([
      'definitions/metrics.ts:41: error: metric "go_gc_duration_seconds" › kind: go_gc_duration_seconds is a summary on the server (quantile series, no _bucket series), declared with histogram(): quantiles and latency SLOs built on it read nothing. Fix: read it with raw PromQL (go_gc_duration_seconds{quantile="0.95"}), or instrument it as a histogram. [type/summary]',
    ]);
  });

  it('a histogram whose buckets the scrape job drops', async () => {
    const report = await check((d) =>
      d.replace('prometheus.ts', "selector: { job: 'prometheus' }", "selector: { job: 'prometheus-nobuckets' }"),
    );
    expect(failing(report)).toStrictEqual([
      'definitions/metrics.ts:41: error: metric "prometheus_http_request_duration_seconds" › kind: prometheus_http_request_duration_seconds has _count series but no prometheus_http_request_duration_seconds_bucket series on the server: quantiles and latency SLOs built on it read nothing. Fix: keep prometheus_http_request_duration_seconds_bucket (check the scrape job\'s metric_relabel_configs), or declare what the server has. [type/no-buckets]',
    ]);
  });
});

describe('types in hand-written PromQL, against the metadata', () => {
  it('a gauge rated, a counter read for its value', async () => {
    const report = await check(async (d) => {
      await d.replace('rules.ts', "'node_load1 / on (instance)", "'rate(node_load1[1m]) / on (instance)");
      await d.replace('rules.ts', "'instance:node_cpu_user:rate1m > 0.9'", "'node_context_switches_total > 1e9'");
    });
    expect(failing(report)).toStrictEqual([
      'definitions/rules.ts:17: error: rule group "node-extra" › alert "NodeLoadPerCpuHigh" › expr: rate(node_load1[1m]) rates node_load1, a gauge in the server\'s metadata: rate() takes each of its decreases for a counter reset. Fix: read its change with deriv(node_load1[1m]), or rate a counter. [type/rated-gauge]',
      'definitions/rules.ts:24: warning: rule group "node-extra" › alert "NodeCpuUserHigh" › expr: node_context_switches_total is a counter in the server\'s metadata, read here for its value: a total since its process started, so a level compared with it stays met until a restart. Fix: read rate(node_context_switches_total[…]) or increase(node_context_switches_total[…]). [type/counter-value]',
    ]);
    // Rated, or only tested for presence: nothing to say.
    const right = await check(async (d) => {
      await d.replace('rules.ts', "'node_load1 / on (instance)", "'deriv(node_load1[1m]) / on (instance)");
      await d.replace(
        'rules.ts',
        "'instance:node_cpu_user:rate1m > 0.9'",
        "'rate(node_context_switches_total[1m]) > 1e5 unless node_context_switches_total'",
      );
    });
    expect(failing(right)).toStrictEqual([]);
  });
});

describe('windows', () => {
  it('a rate window under four scrape intervals (from the targets API), on the window', async () => {
    const report = await check((d) => d.replace('node.ts', "window: '1m'", "window: '15s'"));
    expect(failing(report)).toStrictEqual([
      'definitions/node.ts:21: warning: service "node" › alert "NodeCpuBusy" › expr.window: rate(node_cpu_seconds_total[15s]) spans fewer than 4 scrapes at the 5s scrape interval of job="node": one missed scrape leaves it too few samples. Fix: window: \'20s\' or more. [window/rate]',
    ]);
    // Four scrapes exactly is enough.
    expect(failing(await check((d) => d.replace('node.ts', "window: '1m'", "window: '20s'")))).toStrictEqual([]);
  });

  it("a policy's window: once, on the policy, for every service it reads", async () => {
    const policy =
      (window: string): Edit =>
      (d) =>
        d.write(
          'policies.ts',
          [
            "import { definePolicy } from '../../../../src/index.ts';",
            '',
            `export const errors = definePolicy({ name: 'errors', errorRatio: { levels: { warning: 5 }, window: '${window}', for: '5m' } });`,
            '',
          ].join('\n'),
        );
    expect(ofCheck(await check(policy('15s')), 'window/rate')).toStrictEqual([
      'definitions/policies.ts:3: warning: policy "errors" › errorRatio.window: rate(promhttp_metric_handler_requests_total[15s]) spans fewer than 4 scrapes at the 5s scrape interval of job="node": one missed scrape leaves it too few samples. Fix: window: \'20s\' or more. [window/rate]',
    ]);
    expect(failing(await check(policy('1m')))).toStrictEqual([]);
  });

  it('a range in raw PromQL', async () => {
    const report = await check(withPlaybook('sum(rate(node_cpu_seconds_total{job="{{ $labels.job }}",mode="idle"}[10s])) > 0'));
    expect(ofCheck(report, 'window/rate')).toStrictEqual([
      'definitions/playbooks.ts:7: warning: playbook "cpu-relief" › verify.query: rate(node_cpu_seconds_total[10s]) spans fewer than 4 scrapes at the 5s scrape interval of job="node": one missed scrape leaves it too few samples. Fix: read [20s] or more. [window/rate]',
    ]);
  });

  it("an absent alert's for under four scrape intervals", async () => {
    const report = await check((d) => d.replace('node.ts', 'scrape: false,', "scrape: false,\n  absent: { targets: { for: '10s' } },"));
    expect(failing(report)).toStrictEqual([
      'definitions/node.ts:13: warning: service "node" › absent.targets.for: the absent alert on its targets fires after 10s, fewer than 4 scrapes at the 5s scrape interval of job="node": a late scrape pages. Fix: for: \'20s\' or more. [window/absent-for]',
    ]);
    expect(
      failing(await check((d) => d.replace('node.ts', 'scrape: false,', "scrape: false,\n  absent: { targets: { for: '1m' } },"))),
    ).toStrictEqual([]);
  });

  it("a raw absent() alert's for under four scrape intervals", async () => {
    const absent =
      (duration: string): Edit =>
      async (d) => {
        await d.replace('node.ts', 'expr: \'max by (job) (node_load1{job="node"})\',', 'expr: \'absent(node_load1{job="node"})\',');
        await d.replace('node.ts', "resultLabels: { job: 'node' },", 'resultLabels: {},');
        await d.replace(
          'node.ts',
          'testSeries: (value) => [{ series: \'node_load1{job="node"}\', values: `${value}x60` }],',
          'testSeries: () => [],',
        );
        await d.replace(
          'node.ts',
          "levels: { warning: 100 },\n      for: '5m',\n      summary: 'load is high',",
          `levels: { warning: 0 },\n      direction: 'above',\n      for: '${duration}',\n      summary: 'load is high',`,
        );
      };
    expect(ofCheck(await check(absent('10s')), 'window/absent-for')).toStrictEqual([
      'definitions/node.ts:47: warning: service "node" › alert "NodeLoadHigh" › for: absent() fires after 10s, fewer than 4 scrapes at the 5s scrape interval of job="node": a late scrape pages. Fix: for: \'20s\' or more. [window/absent-for]',
    ]);
    expect(ofCheck(await check(absent('1m')), 'window/absent-for')).toStrictEqual([]);
  });

  it("a latency SLO whose threshold is not a bucket the server has (the definition's buckets say it is)", async () => {
    const report = await check(async (d) => {
      await d.replace('metrics.ts', 'buckets: [0.1, 0.2, 0.4,', 'buckets: [0.1, 0.2, 0.25, 0.4,');
      await d.replace('prometheus.ts', 'threshold: 0.4', 'threshold: 0.25');
    });
    expect(failing(report)).toStrictEqual([
      'definitions/prometheus.ts:13: error: service "prometheus" › slo "latency" › threshold: threshold 0.25 is not a bucket of prometheus_http_request_duration_seconds on the server (le: 0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120): the SLO\'s good events read no series. Fix: use a bucket the server has (0.2 or 0.4), or add 0.25 to the histogram\'s buckets in the instrumentation. [window/slo-bucket]',
    ]);
  });
});

describe('recording rule dependencies', () => {
  it('a recorded series neither generated/ nor the server records', async () => {
    const report = await check((d) =>
      d.replace('node.ts', 'max by (job) (node_load1{job="node"})', 'max by (job) (instance:node_load1:max{job="node"})'),
    );
    expect(failing(report)).toStrictEqual([
      'definitions/node.ts:39: error: service "node" › alert "NodeLoadHigh" › expr: reads the recorded series instance:node_load1:max, which neither generated/ nor the server records (closest recorded: job:node_load1:max). Fix: read job:node_load1:max, or record instance:node_load1:max with a recording rule. [recording/missing]',
    ]);
  });

  it("one the server's own rules record, and generated/'s own (the SLO rules read theirs)", async () => {
    const report = await check((d) =>
      d.replace('node.ts', 'max by (job) (node_load1{job="node"})', 'max by (job) (job:node_load1:max{job="node"})'),
    );
    expect(failing(report)).toStrictEqual([]);
  });
});

describe('cost', () => {
  it("every rule's series and samples per evaluation, the samples as the server's stats=all counts them", async () => {
    const time = Math.floor(Date.now() / 1000) - 10;
    const report = await check(undefined, { time });
    const rule = (name: string) => report.costs.find((cost) => cost.name === name)!;
    expect(rule('NodeLoadHigh (warning)')).toMatchObject({ kind: 'alert', file: 'definitions/node.ts', line: 37, series: 1, samples: 1 });
    for (const name of ['NodeCpuBusy (warning)', 'NodeDown (critical)', 'PrometheusSlow (warning)', 'NodeMemoryLow (warning)']) {
      const cost = rule(name);
      const response = await fetch(`${server.url}/api/v1/query`, {
        method: 'POST',
        body: new URLSearchParams({ query: cost.expr, time: String(time), stats: 'all' }),
      });
      const stats = ((await response.json()) as { data: { stats: { samples: { totalQueryableSamples: number } } } }).data.stats;
      expect(cost.samples, name).toBe(stats.samples.totalQueryableSamples);
      expect(cost.series, name).toBeGreaterThan(0);
    }
    expect(report.costs.filter((cost) => cost.kind === 'panel').length).toBeGreaterThan(0);
    expect(ofCheck(report, 'cost/budget')).toStrictEqual([]);
  });

  it('a rule over the series budget is an error on its definition', async () => {
    const report = await check(undefined, { budget: 1 });
    // NodeMemoryLow reads its two gauges: one series each, one sample each.
    expect(ofCheck(report, 'cost/budget')).toContain(
      'definitions/node.ts:28: error: alert NodeMemoryLow (warning) (generated/prometheus/rules/node.rules.yml) › expr: alert NodeMemoryLow (warning) reads 2 series now, over the budget of 1 (2 samples per evaluation). Fix: narrow its selectors, aggregate earlier with a recording rule, or raise --series-budget. [cost/budget]',
    );
    expect(ofCheck(report, 'cost/budget').every((line) => / reads [\d,]+ series now, over the budget of 1 /.test(line))).toBe(true);
    // Dashboard queries are measured, never held to the rules' budget.
    expect(ofCheck(report, 'cost/budget').some((line) => line.includes('dashboard'))).toBe(false);
  });
});

describe('bounded', () => {
  it('an unreachable server is one finding', async () => {
    // A port nothing listens on.
    const url = `http://127.0.0.1:${await freePort()}`;
    const report = await liveCheckOf({ url });
    expect(report.findings.map(findingLine)).toStrictEqual([
      `definitions/platform.ts:3: error: --prometheus: the live checks stopped: GET /api/v1/status/buildinfo: cannot reach ${url}: ECONNREFUSED. Fix: check the URL (with its path prefix, /prometheus for Mimir), the headers (a Mimir tenant: --prometheus-header X-Scope-OrgID=…) and that the server answers from here. [server/unreachable]`,
    ]);
    expect(report.calls).toBe(1);
  });

  it('a server that stops answering, or answers too much, is one finding within the deadline and the size limit', async () => {
    let stall = false;
    const flaky = await startStandIn((request, response) => {
      if (request.path.startsWith('/api/v1/status/buildinfo'))
        return send(response, 200, { status: 'success', data: { version: '2.42.0' } });
      if (/^\/api\/v1\/(targets|rules)/.test(request.path)) return send(response, 404, '404 page not found\n', 'text/plain');
      if (stall) return; // never answers
      // Every series of the server, a hundred times over: more than the client reads.
      send(response, 200, {
        status: 'success',
        data: Array.from({ length: 20_000 }, (_, index) => ({ __name__: 'x', index: String(index) })),
      });
    });
    try {
      const big = await liveCheckOf({ url: flaky.url, limits: { timeoutMs: 10_000, maxBytes: 64 * 1024 } });
      expect(big.findings.map((finding) => `${finding.check}: ${finding.message}`)).toStrictEqual([
        'server/unreachable: the live checks stopped: POST /api/v1/series: response over the limit of 65536 bytes',
      ]);
      stall = true;
      const started = Date.now();
      const slow = await liveCheckOf({ url: flaky.url, limits: { timeoutMs: 1000, maxBytes: 64 * 1024 } });
      expect(slow.findings.map((finding) => `${finding.check}: ${finding.message}`)).toStrictEqual([
        'server/unreachable: the live checks stopped: POST /api/v1/series: no answer within 1s',
      ]);
      // The calls in flight end at their deadline: the check does not wait on the others.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await flaky.stop();
    }
  });

  describe('a real Prometheus that hangs or dies after its first answer', () => {
    let lone: LoneServer;
    beforeAll(async () => {
      lone = await startLonePrometheus();
    });
    afterAll(async () => {
      await lone?.stop();
    });

    /** A client that runs `then` once the server has answered its first call (the version). */
    const afterFirstAnswer = (then: () => unknown, limits = { timeoutMs: 2000, maxBytes: 64 * 1024 * 1024 }) =>
      new (class extends PrometheusClient {
        private answered = false;
        protected override async call(...args: Parameters<PrometheusClient['call']>) {
          const answer = await super.call(...args);
          if (!this.answered) {
            this.answered = true;
            await then();
          }
          return answer;
        }
      })({ url: lone.url, limits });

    const stoppedBy = (report: LiveReport): string[] =>
      report.findings.filter((finding) => finding.check === 'server/unreachable').map((finding) => finding.message);

    it('stopped (SIGSTOP): one finding at the deadline; continued (SIGCONT): asked again as usual', async () => {
      const started = Date.now();
      const hung = await liveCheckOf({ url: lone.url, client: afterFirstAnswer(() => lone.process.kill('SIGSTOP')) });
      expect(hung.findings.map((finding) => finding.check)).toStrictEqual(['server/unreachable']);
      expect(stoppedBy(hung)).toStrictEqual([
        expect.stringMatching(/^the live checks stopped: (GET|POST) \/api\/v1\/(targets|rules|series): no answer within 2s$/),
      ]);
      // The calls in flight end at their deadline, the others are never made.
      expect(Date.now() - started).toBeLessThan(10_000);
      lone.process.kill('SIGCONT');
      const again = await liveCheckOf({ url: lone.url });
      expect(again.server).toMatch(/^Prometheus 2\./);
      expect(stoppedBy(again)).toStrictEqual([]);
    });

    it('killed (SIGKILL): one finding, the connection refused', async () => {
      const report = await liveCheckOf({ url: lone.url, client: afterFirstAnswer(() => lone.kill()) });
      expect(report.findings.map(findingLine)).toStrictEqual([
        expect.stringMatching(
          /^definitions\/platform\.ts:3: error: --prometheus: the live checks stopped: (GET|POST) \/api\/v1\/(targets|rules|series): cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\. Fix: check the URL .* \[server\/unreachable\]$/,
        ),
      ]);
    });
  });

  describe("Mimir's Prometheus API (a stand-in enforcing its contract, over the same Prometheus)", () => {
    let mimir: Awaited<ReturnType<typeof startMimirPrometheusApi>>;
    beforeAll(async () => {
      mimir = await startMimirPrometheusApi(server.url);
    });
    afterAll(async () => {
      await mimir?.stop();
    });

    it('without a tenant: one finding naming the answer', async () => {
      const report = await liveCheckOf({ url: `${mimir.url}/prometheus` }, (d) => d.replace('node.ts', "mode: 'user'", "mode: 'usr'"));
      expect(report.findings.map(findingLine)).toStrictEqual([
        'definitions/platform.ts:3: error: --prometheus: the live checks stopped: GET /api/v1/status/buildinfo: HTTP 401 no org id. Fix: check the URL (with its path prefix, /prometheus for Mimir), the headers (a Mimir tenant: --prometheus-header X-Scope-OrgID=…) and that the server answers from here. [server/unreachable]',
      ]);
    });

    it('with the tenant header: the same findings as Prometheus itself; scrape intervals from the definitions', async () => {
      const tenant = { url: `${mimir.url}/prometheus`, headers: { 'X-Scope-OrgID': 'platform' } };
      const mistake: Edit = (d) => d.replace('node.ts', "mode: 'user'", "mode: 'usr'");
      const [viaMimir, direct] = [await liveCheckOf(tenant, mistake), await check(mistake)];
      expect(viaMimir.server).toBe('Grafana Mimir 2.9.0');
      expect(viaMimir.findings).toStrictEqual(direct.findings);
      expect(
        mimir.requests.every((request) => request.headers['x-scope-orgid'] === 'platform' || request.path.endsWith('/buildinfo')),
      ).toBe(true);
      // No targets API: the interval of the service's generated scrape job.
      const window = await liveCheckOf(tenant, async (d) => {
        await d.replace('node.ts', 'scrape: false,', "scrape: { interval: '15s' },");
        await d.replace('node.ts', "window: '1m'", "window: '30s'");
      });
      expect(ofCheck(window, 'window/rate')).toStrictEqual([
        'definitions/node.ts:21: warning: service "node" › alert "NodeCpuBusy" › expr.window: rate(node_cpu_seconds_total[30s]) spans fewer than 4 scrapes at the 15s scrape interval of job="node": one missed scrape leaves it too few samples. Fix: window: \'1m\' or more. [window/rate]',
      ]);
      // Mimir reports no stats: samples come from the batched count_over_time answers all the same.
      expect(viaMimir.costs.find((cost) => cost.name === 'NodeLoadHigh (warning)')).toMatchObject({ series: 1, samples: 1 });
    });
  });

  describe('a Prometheus older than 2.42 whose queries load too many samples (a stand-in over the same Prometheus)', () => {
    let limited: Awaited<ReturnType<typeof startStandIn>>;
    beforeAll(async () => {
      limited = await startStandIn((request, response) => {
        if (request.path.startsWith('/api/v1/status/buildinfo'))
          return send(response, 200, { status: 'success', data: { version: '2.30.0' } });
        if (request.path.startsWith('/api/v1/query'))
          return send(response, 422, {
            status: 'error',
            errorType: 'execution',
            error: 'query processing would load too many samples into memory in query execution',
          });
        void fetch(`${server.url}${request.path}`, {
          method: request.method,
          ...(request.method === 'POST' && { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: request.body }),
        })
          .then(async (answer) => send(response, answer.status, await answer.text()))
          .catch((error: unknown) => send(response, 502, String(error), 'text/plain'));
      });
    });
    afterAll(async () => {
      await limited?.stop();
    });

    it('says the version is old, and what it cannot measure, rule by rule, after halving every batch down to one selector', async () => {
      const report = await liveCheckOf({ url: limited.url });
      expect(ofCheck(report, 'server/version')).toStrictEqual([
        'definitions/platform.ts:3: warning: --prometheus: Prometheus 2.30.0 is older than Prometheus 2.42: some answers may be missing or wrong. Fix: run the live check against Prometheus 2.42 or newer. [server/version]',
      ]);
      expect(ofCheck(report, 'cost/query')).toContain(
        'definitions/node.ts:28: error: alert NodeMemoryLow (warning) (generated/prometheus/rules/node.rules.yml) › expr: alert NodeMemoryLow (warning) cannot be measured: POST /api/v1/query: HTTP 422: query processing would load too many samples into memory in query execution. Fix: narrow its selectors or aggregate earlier with a recording rule. [cost/query]',
      );
      expect(report.costs.find((cost) => cost.name === 'NodeMemoryLow (warning)')).toMatchObject({ series: 0 });
      expect(report.costs.find((cost) => cost.name === 'NodeMemoryLow (warning)')?.samples).toBeUndefined();
      // The hand-written expressions cannot be evaluated either: each is a finding of its own.
      expect(ofCheck(report, 'query/evaluation')).toContain(
        'definitions/rules.ts:17: error: rule group "node-extra" › alert "NodeLoadPerCpuHigh" › expr: the server fails to evaluate it now: query processing would load too many samples into memory in query execution. Fix: change the expression until the server evaluates it. [query/evaluation]',
      );
      // The other checks are answered as by Prometheus itself.
      expect(failing(report).filter((line) => !/\[(cost\/query|server\/version|query\/evaluation)\]$/.test(line))).toStrictEqual([]);
      // Every query asks the server to give up before the client's 30 s deadline.
      const queries = limited.requests.filter((request) => request.path.startsWith('/api/v1/query'));
      expect(queries.length).toBeGreaterThan(0);
      expect(new Set(queries.map((request) => new URLSearchParams(request.body).get('timeout')))).toStrictEqual(new Set(['22s']));
    });
  });
});

// Last: the server counts the queries it rejects (prometheus_http_requests_total{code="422"}),
// which the tests above read.
describe('rule evaluation', () => {
  it('hand-written PromQL the server rejects on the series it has: its error, on the rule', async () => {
    const manyToOne =
      (matching: string): Edit =>
      (d) =>
        d.replace(
          'rules.ts',
          '\'absent(node_load1{job="node"})\'',
          `'rate(node_cpu_seconds_total[1m]) / on (instance) ${matching}node_load1'`,
        );
    const report = await check(manyToOne(''));
    expect(failing(report)).toStrictEqual([
      'definitions/rules.ts:31: error: rule group "node-extra" › alert "NodeExporterAbsent" › expr: the server fails to evaluate it now: multiple matches for labels: many-to-one matching must be explicit (group_left/group_right). Fix: match on labels that are unique on one side (on(…) with group_left(…) or group_right(…)), or aggregate that side first. [query/evaluation]',
    ]);
    expect(failing(await check(manyToOne('group_left ')))).toStrictEqual([]);
  });

  it("results with one label set, a function the server's version lacks: each with its fix", async () => {
    const report = await check(async (d) => {
      await d.replace(
        'node.ts',
        'max by (job) (node_load1{job="node"})',
        'max by (job) (label_replace(rate(node_cpu_seconds_total{job="node"}[1m]), "mode", "all", "", ""))',
      );
      await d.replace(
        'rules.ts',
        "'instance:node_cpu_user:rate1m > 0.9'",
        '\'sort_by_label(instance:node_cpu_user:rate1m, "instance") > 0.9\'',
      );
    });
    expect(ofCheck(report, 'query/evaluation')).toStrictEqual([
      'definitions/node.ts:38: error: service "node" › alert "NodeLoadHigh" › expr: the server fails to evaluate it now: vector cannot contain metrics with the same labelset. Fix: keep a label that tells the results apart, or aggregate them. [query/evaluation]',
      'definitions/rules.ts:24: error: rule group "node-extra" › alert "NodeCpuUserHigh" › expr: the server fails to evaluate it now: invalid parameter "query": 1:1: parse error: unknown function with name "sort_by_label". Fix: write it in PromQL the server\'s version knows. [query/evaluation]',
    ]);
  });
});
