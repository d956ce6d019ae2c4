import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLiveGithub, formatLiveGitlab, formatLiveJson, formatLiveText } from '../../src/check/live/format.ts';
import type { LiveReport } from '../../src/check/live/types.ts';
import { liveOptions, runLiveCheck } from '../../src/run/check-live.ts';
import { freePort } from '../../scripts/stack/processes.ts';
import { startScrapedPrometheus, type ScrapedServer } from '../check/live/servers.ts';
import { Definitions } from '../diff/repository.ts';
import { monforge, scratchCopy } from '../helpers/index.ts';
import path from 'node:path';

// `check --prometheus`: its options, its four formats (those of `diff`), and the command as
// `npx monforge check` runs it against a real Prometheus scraping node_exporter.

const report: LiveReport = {
  url: 'http://prometheus:9090',
  server: 'Prometheus 2.42.0',
  budget: 50_000,
  calls: 42,
  findings: [
    {
      check: 'series/label-value',
      level: 'error',
      file: 'definitions/node.ts',
      line: 18,
      object: 'service "node" › alert "NodeCpuBusy"',
      field: 'expr.numerator',
      message: 'no series of node_cpu_seconds_total within {job="node"} has mode="usr" now; values that exist: user, idle',
      fix: 'match a value that exists, such as "user"',
    },
    {
      check: 'window/rate',
      level: 'warning',
      file: 'definitions/node.ts',
      line: 18,
      object: 'service "node" › alert "NodeCpuBusy"',
      field: 'expr.window',
      message:
        'rate(node_cpu_seconds_total[15s]) spans fewer than 4 scrapes at the 5s scrape interval of job="node": one missed scrape leaves it too few samples',
      fix: "window: '20s' or more",
    },
    {
      check: 'series/label-value',
      level: 'note',
      file: 'definitions/prometheus.ts',
      line: 10,
      object: 'service "prometheus"',
      field: 'traffic.errors',
      message:
        'no series of prometheus_http_requests_total within {job="prometheus"} has code=~"5.." now; values that exist: 200. It may be absent until its first event (no 5xx yet).',
      fix: 'none while it only appears at its first event',
    },
  ],
  costs: [
    {
      kind: 'alert',
      name: 'NodeCpuBusy (warning)',
      generated: 'prometheus/rules/node.rules.yml',
      file: 'definitions/node.ts',
      line: 17,
      expr: 'x',
      series: 16,
      samples: 192,
    },
    {
      kind: 'record',
      name: 'slo:sli_events:rate5m{service="node",slo="scrapes"}',
      generated: 'prometheus/rules/node.rules.yml',
      file: 'definitions/node.ts',
      line: 14,
      expr: 'y',
      series: 1,
    },
    {
      kind: 'panel',
      name: 'dashboard "node" › panel "Requests" › A',
      generated: 'grafana/dashboards/platform/node.json',
      file: 'definitions/node.ts',
      line: 8,
      expr: 'z',
      series: 3,
      samples: 36,
    },
  ],
};

describe('the live report', () => {
  it('without costs, or with nothing read, has no cost lines', () => {
    expect(formatLiveText({ ...report, findings: [], costs: [] })).toBe(
      'live check of http://prometheus:9090 (Prometheus 2.42.0): 0 errors, 0 warnings, 0 notes; 42 calls\n',
    );
    const idle = report.costs.map((cost) => ({ ...cost, series: 0, samples: 0 }));
    expect(formatLiveText({ ...report, server: undefined, findings: [], costs: idle, calls: 1 }).split('\n')).toStrictEqual([
      'cost: 2 rules read 0 series now, 0 samples per evaluation; 1 dashboard query read 0 series now, 0 samples per evaluation (budget: 50,000 series per rule)',
      'live check of http://prometheus:9090: 0 errors, 0 warnings, 0 notes; 1 call',
      '',
    ]);
  });

  it('as text: one line per finding (file:line, level, check, object › field, message, fix), the cost, a summary', () => {
    expect(formatLiveText(report)).toBe(
      [
        'definitions/node.ts:18: error: service "node" › alert "NodeCpuBusy" › expr.numerator: no series of node_cpu_seconds_total within {job="node"} has mode="usr" now; values that exist: user, idle. Fix: match a value that exists, such as "user". [series/label-value]',
        'definitions/node.ts:18: warning: service "node" › alert "NodeCpuBusy" › expr.window: rate(node_cpu_seconds_total[15s]) spans fewer than 4 scrapes at the 5s scrape interval of job="node": one missed scrape leaves it too few samples. Fix: window: \'20s\' or more. [window/rate]',
        'definitions/prometheus.ts:10: note: service "prometheus" › traffic.errors: no series of prometheus_http_requests_total within {job="prometheus"} has code=~"5.." now; values that exist: 200. It may be absent until its first event (no 5xx yet). Fix: none while it only appears at its first event. [series/label-value]',
        'cost: 2 rules read 17 series now, 192 samples per evaluation; 1 dashboard query read 3 series now, 36 samples per evaluation (budget: 50,000 series per rule)',
        'heaviest rules:',
        '  16 series, 192 samples  alert NodeCpuBusy (warning)  definitions/node.ts:17',
        '  1 series, samples unknown  record slo:sli_events:rate5m{service="node",slo="scrapes"}  definitions/node.ts:14',
        'live check of http://prometheus:9090 (Prometheus 2.42.0): 1 error, 1 warning, 1 note; 42 calls',
        '',
      ].join('\n'),
    );
  });

  it('as JSON: the findings, every cost and the offline findings', () => {
    const json = JSON.parse(formatLiveJson(report, ['promtool check rules failed: …']));
    expect(Object.keys(json)).toStrictEqual(['prometheus', 'server', 'summary', 'findings', 'cost', 'offline']);
    expect(json.summary).toStrictEqual({ error: 1, warning: 1, note: 1, calls: 42 });
    expect(json.findings).toStrictEqual(report.findings);
    expect(json.cost).toStrictEqual({
      budget: 50_000,
      rules: { queries: 2, series: 17, samples: 192, unmeasured: 1 },
      dashboards: { queries: 1, series: 3, samples: 36, unmeasured: 0 },
      queries: report.costs,
    });
    expect(json.offline).toStrictEqual(['promtool check rules failed: …']);
  });

  it("as GitHub annotations on the repository's paths, errors first, notes as notices", () => {
    expect(formatLiveGithub(report, 'monitoring/').split('\n')).toStrictEqual([
      '::error file=monitoring/definitions/node.ts,line=18,title=monforge check%3A series/label-value::service "node" › alert "NodeCpuBusy" › expr.numerator: no series of node_cpu_seconds_total within {job="node"} has mode="usr" now; values that exist: user, idle. Fix: match a value that exists, such as "user".',
      '::warning file=monitoring/definitions/node.ts,line=18,title=monforge check%3A window/rate::service "node" › alert "NodeCpuBusy" › expr.window: rate(node_cpu_seconds_total[15s]) spans fewer than 4 scrapes at the 5s scrape interval of job="node": one missed scrape leaves it too few samples. Fix: window: \'20s\' or more.',
      '::notice file=monitoring/definitions/prometheus.ts,line=10,title=monforge check%3A series/label-value::service "prometheus" › traffic.errors: no series of prometheus_http_requests_total within {job="prometheus"} has code=~"5.." now; values that exist: 200. It may be absent until its first event (no 5xx yet). Fix: none while it only appears at its first event.',
      '',
    ]);
  });

  it('as a GitLab Code Quality report with fingerprints stable across runs and lines', () => {
    const issues = JSON.parse(formatLiveGitlab(report, ''));
    expect(issues.map((issue: Record<string, unknown>) => [issue.check_name, issue.severity, issue.location])).toStrictEqual([
      ['monforge-check/series/label-value', 'major', { path: 'definitions/node.ts', lines: { begin: 18 } }],
      ['monforge-check/window/rate', 'minor', { path: 'definitions/node.ts', lines: { begin: 18 } }],
      ['monforge-check/series/label-value', 'info', { path: 'definitions/prometheus.ts', lines: { begin: 10 } }],
    ]);
    const moved = { ...report, findings: report.findings.map((finding) => ({ ...finding, line: finding.line + 3 })) };
    expect(JSON.parse(formatLiveGitlab(moved, '')).map((issue: { fingerprint: string }) => issue.fingerprint)).toStrictEqual(
      issues.map((issue: { fingerprint: string }) => issue.fingerprint),
    );
    expect(new Set(issues.map((issue: { fingerprint: string }) => issue.fingerprint)).size).toBe(3);
  });
});

describe('options', () => {
  it('need --prometheus, an http(s) URL, NAME=VALUE headers, a level, a format and a positive budget', () => {
    expect(liveOptions({})).toBeUndefined();
    expect(liveOptions({ format: 'json' })).toBe('--format needs --prometheus URL');
    expect(liveOptions({ prometheus: 'prometheus:9090' })).toBe('--prometheus "prometheus:9090" is not an http(s) URL');
    expect(liveOptions({ prometheus: 'http://p', 'prometheus-header': ['X-Scope-OrgID'] })).toBe(
      '--prometheus-header "X-Scope-OrgID" is not NAME=VALUE',
    );
    // The value of a header that is not NAME=VALUE is not echoed: it may be a token.
    expect(liveOptions({ prometheus: 'http://p', 'prometheus-header': ['Bad Name=secret'] })).toBe(
      '--prometheus-header "Bad Name=…" is not NAME=VALUE',
    );
    expect(liveOptions({ prometheus: 'http://p', 'fail-on': 'note' })).toBe('--fail-on must be error or warning');
    expect(liveOptions({ prometheus: 'http://p', format: 'sarif' })).toBe('--format must be one of text, json, github, gitlab');
    expect(liveOptions({ prometheus: 'http://p', 'series-budget': '0' })).toBe('--series-budget must be a whole number of series above 0');
    expect(
      liveOptions({
        prometheus: 'https://mimir/prometheus',
        'prometheus-header': ['X-Scope-OrgID=team-a', 'Authorization=Bearer a=b'],
        'series-budget': '1000',
      }),
    ).toStrictEqual({
      url: 'https://mimir/prometheus',
      headers: { 'X-Scope-OrgID': 'team-a', Authorization: 'Bearer a=b' },
      failOn: 'error',
      format: 'text',
      budget: 1000,
    });
  });
});

describe('npx monforge check --prometheus', () => {
  let server: ScrapedServer;
  let project: { root: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    [server, project] = await Promise.all([startScrapedPrometheus(), scratchCopy('live')]);
    // A warning that only the live check finds: grouping by a declared label the exporter does not have.
    const definitions = new Definitions(path.join(project.root, 'definitions'));
    await definitions.replace('metrics.ts', "labels: ['cpu', 'mode'],", "labels: ['cpu', 'mode', 'core'],");
    await definitions.replace('node.ts', "by: ['cpu']", "by: ['core']");
    await definitions.replace('node.ts', "summary: 'cpu {{ $labels.cpu }} is busy'", "summary: 'cpu {{ $labels.core }} is busy'");
    await definitions.replace('node.ts', "description: 'cpu {{ $labels.cpu }} spends", "description: 'cpu {{ $labels.core }} spends");
    expect((await monforge(project.root, 'generate')).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await project?.cleanup();
  });

  it('runs the offline checks, then the live ones: warnings fail only with --fail-on warning', async () => {
    const text = await monforge(project.root, 'check', '--prometheus', server.url);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr.split('\n')).toContain(
      'definitions/node.ts:21: warning: service "node" › alert "NodeCpuBusy" › expr.by: groups by core, which no series of node_cpu_seconds_total has: every series falls in one group. Fix: group by a label the series have (cpu, instance, job, mode). [series/group-label]',
    );
    expect(text.stdout).toMatch(/^cost: \d+ rules read [\d,]+ series now, [\d,]+ samples per evaluation; \d+ dashboard queries read/);
    expect(text.stdout).toMatch(
      new RegExp(`live check of ${server.url} \\(Prometheus 2\\.[^)]+\\): 0 errors, 1 warning, 1 note; \\d+ calls\\n$`),
    );
    const github = await monforge(project.root, 'check', '--prometheus', server.url, '--fail-on', 'warning', '--format', 'github');
    expect(github.code).toBe(1);
    expect(github.stdout.split('\n').filter((line) => line.startsWith('::warning'))).toStrictEqual([
      expect.stringMatching(
        /^::warning file=test\/\.tmp\/live-\w+\/definitions\/node\.ts,line=21,title=monforge check%3A series\/group-label::/,
      ),
    ]);
  }, 180_000);

  it('an unreachable server is one finding and exit 1, not a stack trace', async () => {
    const outcome = await monforge(project.root, 'check', '--prometheus', `http://127.0.0.1:${await freePort()}`, '--format', 'json');
    expect(outcome.code).toBe(1);
    const json = JSON.parse(outcome.stdout);
    expect(json.findings.map((finding: { check: string }) => finding.check)).toStrictEqual(['server/unreachable']);
    expect(outcome.stderr).toBe('');
  }, 180_000);

  it('in this process, each format on its stream, and the exit code by --fail-on and the offline findings', async () => {
    const run = async (format: 'text' | 'json' | 'github' | 'gitlab', failOn: 'error' | 'warning', offline: string[] = []) => {
      let stdout = '';
      let stderr = '';
      const code = await runLiveCheck(
        {
          root: project.root,
          out: (text) => {
            stdout += text;
          },
          err: (text) => {
            stderr += text;
          },
        },
        { url: server.url, headers: {}, failOn, format, budget: 50_000 },
        offline,
      );
      return { code, stdout, stderr };
    };
    const warning =
      'definitions/node.ts:21: warning: service "node" › alert "NodeCpuBusy" › expr.by: groups by core, which no series of node_cpu_seconds_total has: every series falls in one group. Fix: group by a label the series have (cpu, instance, job, mode). [series/group-label]';
    const text = await run('text', 'error');
    expect(text.code).toBe(0);
    expect(text.stderr.split('\n')).toContain(warning);
    expect(text.stdout).toMatch(/ dashboard queries read /);
    expect((await run('text', 'warning')).code).toBe(1);
    const json = await run('json', 'error', ['promtool check rules failed: …']);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('promtool check rules failed: …\n');
    expect(JSON.parse(json.stdout).summary).toMatchObject({ error: 0, warning: 1, note: 1 });
    const gitlab = await run('gitlab', 'warning');
    expect(gitlab.code).toBe(1);
    expect(JSON.parse(gitlab.stdout).map((issue: { check_name: string }) => issue.check_name)).toContain(
      'monforge-check/series/group-label',
    );
    const github = await run('github', 'error');
    expect(github.stderr).toMatch(
      /^live check of http:\/\/127\.0\.0\.1:\d+ \(Prometheus 2\.[^)]+\): 0 errors, 1 warning, 1 note; \d+ calls\n$/,
    );
  }, 120_000);

  it('definitions that do not load: the offline findings said why, nothing is asked', async () => {
    const broken = await scratchCopy('live');
    try {
      await new Definitions(path.join(broken.root, 'definitions')).replace('node.ts', "tier: 'high'", "tier: 'urgent'");
      let stderr = '';
      const code = await runLiveCheck(
        {
          root: broken.root,
          out: () => {},
          err: (text) => {
            stderr += text;
          },
        },
        { url: 'http://127.0.0.1:1', headers: {}, failOn: 'error', format: 'text', budget: 50_000 },
        ['definitions/node.ts: service "node" › tier: …'],
      );
      expect([code, stderr]).toStrictEqual([1, 'definitions/node.ts: service "node" › tier: …\n']);
    } finally {
      await broken.cleanup();
    }
  });

  it('a live option without --prometheus is a usage error', async () => {
    const outcome = await monforge(project.root, 'check', '--fail-on', 'warning');
    expect([outcome.code, outcome.stderr.split('\n')[0]]).toStrictEqual([2, '--fail-on needs --prometheus URL']);
  });
});
