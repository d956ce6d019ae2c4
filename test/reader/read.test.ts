import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerConfig } from '../../src/compile/alertmanager/index.ts';
import { parseMatchers, renderMatcher } from '../../src/compile/alertmanager/matchers.ts';
import {
  alertingRules,
  GeneratedTreeError,
  parseGeneratedTree,
  readGeneratedDir,
  readGeneratedRevision,
  recordingRules,
  resolveRevision,
  RevisionError,
} from '../../src/reader/index.ts';
import { loadPlatform } from '../../src/load/load.ts';
import { writeFileSet } from '../../src/output/write.ts';
import { runBounded } from '../../src/process/bounded.ts';
import { build } from '../../src/run/generate.ts';
import { repoRoot } from '../helpers/index.ts';

describe('the generated-tree reader', () => {
  it('reads what the compilers write: the route tree and inhibit rules equal the compiled ones', async () => {
    const tree = parseGeneratedTree(await build(repoRoot), 'working tree');
    const compiled = alertmanagerConfig(await loadPlatform(repoRoot));
    expect(tree.alertmanager!.config.route).toEqual(compiled.route);
    expect(tree.alertmanager!.config.inhibitRules).toEqual(compiled.inhibit_rules);
    expect(tree.alertmanager!.config.timeIntervals).toEqual(compiled.time_intervals);
    expect(tree.alertmanager!.config.receivers.map((receiver) => receiver.name)).toEqual(
      compiled.receivers.map((receiver) => receiver.name),
    );
    expect(tree.alertmanager!.config.receivers.find((receiver) => receiver.name === 'data-critical')!.integrations).toEqual([
      { type: 'pagerduty', settings: { routing_key_file: '/etc/alertmanager/secrets/data-pagerduty', send_resolved: true } },
      { type: 'slack', settings: { api_url_file: '/etc/alertmanager/secrets/slack-data', channel: '#data-alerts', send_resolved: true } },
    ]);
  });

  it('types rules with their file, group and source, dashboards with panels and playbooks', async () => {
    const tree = await readGeneratedDir(path.join(repoRoot, 'generated'));
    const critical = alertingRules(tree).find(({ rule }) => rule.alert === 'ApiErrorRateHigh' && rule.labels.severity === 'critical')!;
    expect(critical.file.path).toBe('prometheus/rules/api.rules.yml');
    expect(critical.file.sources).toEqual(['definitions/services/api.ts']);
    expect(critical.group.name).toBe('api-alerts');
    expect(critical.rule.for).toBe('3m');
    expect(critical.rule.annotations.runbook_url).toBe('https://runbooks.example.com/apierrorratehigh');
    const objective = recordingRules(tree).find(
      ({ rule }) => rule.record === 'slo:objective:ratio' && rule.labels.service === 'api' && rule.labels.slo === 'availability',
    )!;
    expect(objective.rule.expr).toBe('vector(0.999)');
    const api = tree.dashboards.find((dashboard) => dashboard.uid === 'svc-api')!;
    expect(api.path).toBe('grafana/dashboards/platform/api.json');
    expect(api.sources).toEqual(['definitions/services/api.ts']);
    const panel = api.panels.find((each) => each.id === 8)!;
    expect(panel.json).toMatchObject({ id: 8, type: 'timeseries', fieldConfig: { defaults: { unit: 'percent' } } });
    expect({ ...panel, json: undefined }).toEqual({
      json: undefined,
      id: 8,
      type: 'timeseries',
      title: 'ApiErrorRateHigh',
      row: 'Saturation',
      targets: [
        {
          refId: 'A',
          expr: '100 * sum by (job) (rate(http_requests_total{job="api",code=~"5..",instance=~"$instance"}[$__rate_interval])) / sum by (job) (rate(http_requests_total{job="api",instance=~"$instance"}[$__rate_interval]))',
        },
      ],
    });
    expect(tree.dashboards.find((dashboard) => dashboard.uid === 'monforge-overview')?.sources).toEqual([]);
    expect(tree.playbooks!.playbooks.map((playbook) => playbook.name)).toContain('api-down');
  });

  it('names every file and field it cannot read, all at once', () => {
    const files = new Map([
      [
        'prometheus/rules/api.rules.yml',
        'groups:\n  - name: api\n    rules:\n      - alert: X\n        expr: up == 0\n        labels: [a]\n      - record: y\n',
      ],
      ['alertmanager/alertmanager.yml', 'route:\n  receiver: a\n  routes:\n    - matchers: ["severity"]\n      group_wait: soon\n'],
      ['grafana/dashboards/a.json', '{"uid": "x", "title": "A"}'],
      ['grafana/dashboards/b.json', '{"uid": "x", "title": "B", "panels": [{"id": "one"}]}'],
      ['remediation/playbooks.json', '{"version": 2, "playbooks": []}'],
    ]);
    let error: unknown;
    try {
      parseGeneratedTree(files, 'main (1234567)');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GeneratedTreeError);
    expect((error as Error).message.split('\n')).toEqual([
      'cannot read generated/ at main (1234567):',
      'prometheus/rules/api.rules.yml: groups[0].rules[0].labels: Invalid input: expected record, received array',
      'prometheus/rules/api.rules.yml: groups[0].rules[1].expr: missing',
      'alertmanager/alertmanager.yml: route.routes[0].matchers[0]: "severity" is not a matcher like label="value"',
      'alertmanager/alertmanager.yml: route.routes[0].group_wait: "soon" is not a duration',
      'remediation/playbooks.json: version: Invalid input: expected 1',
      'grafana/dashboards/b.json: panels[0].id: Invalid input: expected number, received string',
      'grafana/dashboards/b.json: uid: "x" is also the uid of grafana/dashboards/a.json',
    ]);
  });

  it('parses Alertmanager matchers back: quoted, unquoted, several in braces', () => {
    const round = ['a="b"', 'severity=~"high|warning"', 'test!="true"', 'x!~"a\\"b\\\\c\\nd"'];
    for (const text of round) expect(parseMatchers(text)).toEqual([expect.objectContaining({})]);
    expect((parseMatchers(round[3]!) as never[]).map(renderMatcher)).toEqual([round[3]]);
    expect(parseMatchers('{a="1, 2", b = c}')).toEqual([
      { label: 'a', op: '=', value: '1, 2' },
      { label: 'b', op: '=', value: 'c' },
    ]);
    expect(parseMatchers('severity')).toBe('"severity" is not a matcher like label="value"');
  });
});

describe('reading the generated/ of a git revision', () => {
  let repo: string;
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  beforeAll(async () => {
    await mkdir(path.join(repoRoot, 'test/.tmp'), { recursive: true });
    repo = await mkdtemp(path.join(repoRoot, 'test/.tmp/reader-'));
    git('init', '--quiet', '--initial-branch=main');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
    await writeFile(path.join(repo, 'README'), 'no monforge yet\n');
    git('add', '-A');
    git('commit', '--quiet', '-m', 'before monforge');
    // monforge lives in a sub-folder of the repository here, as in a monorepo.
    await writeFileSet(path.join(repo, 'monitoring/generated'), await build(repoRoot));
    git('add', '-A');
    git('commit', '--quiet', '-m', 'generated');
  });
  afterAll(() => rm(repo, { recursive: true, force: true }));

  it('reads the folder of a commit, relative to a root inside the repository', async () => {
    const root = path.join(repo, 'monitoring');
    const revision = await resolveRevision(root, 'HEAD');
    expect(revision.label).toMatch(/^HEAD \([0-9a-f]{7}\)$/);
    const fromGit = await readGeneratedRevision(root, revision);
    const fromDisk = await readGeneratedDir(path.join(root, 'generated'));
    expect(fromGit.files).toEqual(fromDisk.files);
    expect(fromGit.label).toBe(revision.label);
    expect(alertingRules(fromGit)).toHaveLength(alertingRules(fromDisk).length);
  });

  it('gives an empty tree for a commit without generated/', async () => {
    const root = path.join(repo, 'monitoring');
    const tree = await readGeneratedRevision(root, await resolveRevision(root, 'HEAD~1'));
    expect(tree.files.size).toBe(0);
    expect(tree.alertmanager).toBeUndefined();
  });

  it('refuses unknown revisions, option-like names and trees over the size limit', async () => {
    await expect(resolveRevision(repo, 'no-such-branch')).rejects.toThrow(
      new RevisionError(`unknown revision "no-such-branch" in ${repo}`),
    );
    await expect(resolveRevision(repo, '--all')).rejects.toThrow('"--all" is not a revision');
    const root = path.join(repo, 'monitoring');
    await expect(
      readGeneratedRevision(root, await resolveRevision(root, 'HEAD'), 'generated', { timeoutMs: 10_000, maxBytes: 1000 }),
    ).rejects.toThrow(/^cannot read generated\/ at HEAD \([0-9a-f]{7}\):\n[0-9.]+ MiB of files, over the 0 MiB limit$/);
    await expect(readGeneratedDir(path.join(root, 'generated'), 'dir', { timeoutMs: 10_000, maxBytes: 1000 })).rejects.toThrow(
      /over the 0 MiB limit/,
    );
  });
});

describe('bounded child processes', () => {
  it('kills a child that outlives its deadline or writes past its limit, with one line saying so', async () => {
    const started = Date.now();
    await expect(runBounded('sleep', ['10'], { cwd: repoRoot, timeoutMs: 200, maxBytes: 100, what: 'sleep' })).rejects.toThrow(
      'sleep: no answer within 200ms',
    );
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(runBounded('yes', [], { cwd: repoRoot, timeoutMs: 10_000, maxBytes: 100_000, what: 'yes' })).rejects.toThrow(
      'yes: output over the limit of 100000 bytes',
    );
    await expect(
      runBounded('git', ['no-such-command'], { cwd: repoRoot, timeoutMs: 10_000, maxBytes: 100, what: 'git x' }),
    ).rejects.toThrow(/^git x: git: 'no-such-command' is not a git command/);
    await expect(runBounded('no-such-program', [], { cwd: repoRoot, timeoutMs: 10_000, maxBytes: 100, what: 'x' })).rejects.toThrow(
      'x: no-such-program not found on PATH',
    );
  });
});
