import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { amtoolFindings } from '../../../src/check/amtool.ts';
import type { RouteTests } from '../../../src/compile/alertmanager/expectations.ts';
import { alertmanagerConfig, compileAlertmanager } from '../../../src/compile/alertmanager/index.ts';
import { alertmanagerPath, platformReceivers, routeTestsPath } from '../../../src/compile/alertmanager/names.ts';
import { emittedAlertLabels } from '../../../src/compile/prometheus/alert-labels.ts';
import { alert, defineRouteTree, defineRuleGroup } from '../../../src/index.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import { matchRoutes } from '../../../src/route-evaluator/evaluate.ts';
import { fixtureRoot, withGenerated } from '../../helpers/index.ts';

// A route tree of the definitions beside the teams' routing, on the platform with the richest
// routing of the fixtures (stakeholders, digest, maintenance, events, remediation): the teams'
// alerts keep every receiver they had, every other alert walks the tree, and Alertmanager 0.25
// (amtool) agrees on both.

const tree = defineRouteTree({
  route: {
    receiver: 'default',
    groupBy: ['namespace'],
    groupWait: '30s',
    repeatInterval: '12h',
    routes: [
      { receiver: 'watchdog', matchers: ['alertname = Watchdog'] },
      { receiver: 'critical', matchers: ['severity = critical'], continue: true, muteTimeIntervals: ['weekends'] },
      { receiver: 'ops', matchers: ['namespace =~ "kube-.*"'] },
    ],
  },
  receivers: {
    default: {},
    watchdog: { webhook_configs: [{ url: 'https://deadmanssnitch.example.com/ping' }] },
    critical: { pagerduty_configs: [{ routing_key_file: '/etc/alertmanager/secrets/critical' }] },
    ops: { slack_configs: [{ api_url_file: '/etc/alertmanager/secrets/ops', channel: '#ops' }] },
  },
  timeIntervals: { weekends: { periods: [{ weekdays: ['saturday', 'sunday'] }] } },
  inhibitRules: [{ sourceMatchers: ['severity = critical'], targetMatchers: ['severity = warning'], equal: ['namespace', 'alertname'] }],
  tests: [
    { labels: { alertname: 'Watchdog', severity: 'none' }, receivers: ['watchdog'] },
    { labels: { alertname: 'KubeDown', severity: 'critical', namespace: 'kube-system' }, receivers: ['critical', 'ops'] },
    { labels: { alertname: 'Other' }, receivers: ['default'] },
  ],
});

async function withTree(): Promise<{ before: Platform; after: Platform }> {
  const before = await loadPlatform(fixtureRoot('alertmanager'));
  return { before, after: { ...before, routeTree: { ...tree, source: 'definitions/imported/alertmanager.ts' } } };
}

describe('a route tree beside the teams', () => {
  it("passes amtool check-config and every route test: the teams' alerts as the policy says, the tree's as written", async () => {
    const { after } = await withTree();
    const files = compileAlertmanager(after, emittedAlertLabels(after));
    const cases = (JSON.parse(files.get(routeTestsPath)!) as RouteTests).cases;
    expect(cases.slice(0, 3).map((each) => each.receivers)).toEqual([['watchdog'], ['critical', 'ops'], ['default']]);
    expect(cases.length).toBeGreaterThan(20);
    expect(await withGenerated(files, (dir) => amtoolFindings(dir, files))).toEqual([]);
  });

  it('sends every alert of the teams where it went without the tree', async () => {
    const { before, after } = await withTree();
    const receivers = (platform: Platform, labels: Readonly<Record<string, string>>): string[] =>
      matchRoutes(alertmanagerConfig(platform).route, labels).map((match) => match.route.receiver);
    for (const labels of emittedAlertLabels(before)) expect(receivers(after, labels)).toEqual(receivers(before, labels));
  });

  it("sends a rule group's alert a playbook handles to the remediation receiver and where the tree sends it, and the playbook's outcome alert to its team", async () => {
    const { after } = await withTree();
    const team = after.teams[0]!.name;
    const storage = {
      ...defineRuleGroup({
        name: 'storage',
        service: 'storage',
        team,
        rules: [alert({ name: 'DiskFull', expr: 'vector(1)', labels: { severity: 'critical' }, untested: 'a fixture' })],
      }),
      source: 'definitions/imported/storage.ts',
    };
    const clean = { ...after.playbooks[0]!, name: 'clean-disk', match: { alertname: 'DiskFull' } };
    const platform: Platform = { ...after, ruleGroups: [storage], playbooks: [...after.playbooks, clean] };
    const receivers = (labels: Readonly<Record<string, string>>): string[] =>
      matchRoutes(alertmanagerConfig(platform).route, labels).map((match) => match.route.receiver);
    // The labels its rule sets: a rule group adds none.
    const disk = { alertname: 'DiskFull' };
    // The tree's `critical` route continues, and nothing after it matches: no fallback, as in the tree alone.
    expect(receivers({ ...disk, severity: 'critical' })).toEqual([platformReceivers.remediation, 'critical']);
    // No route of the tree matches: its root's receiver, as in the tree alone.
    expect(receivers({ ...disk, severity: 'warning' })).toEqual([platformReceivers.remediation, 'default']);
    expect(receivers({ alertname: 'Other' })).toEqual(['default']);
    const outcome = (service: string): Record<string, string> => ({
      alertname: 'RemediationSuccessRateLow',
      playbook: 'clean-disk',
      service,
      team,
      severity: 'warning',
    });
    expect(receivers(outcome('storage'))).toEqual(receivers(outcome(after.services.find((each) => each.team === team)!.name)));
    expect(receivers(outcome('storage'))).not.toEqual(['default']);
    // amtool agrees, on the outcome alert's route test among the others.
    const files = compileAlertmanager(platform, emittedAlertLabels(platform));
    const cases = (JSON.parse(files.get(routeTestsPath)!) as RouteTests).cases;
    expect(cases.some((each) => each.labels.service === 'storage' && each.labels.alertname === 'RemediationSuccessRateLow')).toBe(true);
    expect(await withGenerated(files, (dir) => amtoolFindings(dir, files))).toEqual([]);
  });

  it("nests the tree's routes only when a playbook may take an alert of the tree's: the nesting changes their group keys", async () => {
    const { after } = await withTree();
    const lastRoute = (platform: Platform) => alertmanagerConfig(platform).route.routes!.at(-1)!;
    // The fixture's database-critical playbook matches a service and a severity: any alert so labelled.
    expect(lastRoute(after)).toMatchObject({
      receiver: 'default',
      routes: [{ receiver: 'watchdog' }, { receiver: 'critical' }, { receiver: 'ops' }],
    });
    // By alert name, a service's alerts only: the tree's routes stay where they were.
    const byName: Platform = { ...after, playbooks: after.playbooks.filter((playbook) => playbook.match.alertname !== undefined) };
    expect(byName.playbooks.length).toBeGreaterThan(0);
    expect(lastRoute(byName)).toMatchObject({ receiver: 'ops' });
  });

  it("keeps the tree's root, and scopes the teams' inhibit rules to the teams' services", async () => {
    const { after } = await withTree();
    const config = parse(compileAlertmanager(after, emittedAlertLabels(after)).get(alertmanagerPath)!) as {
      route: Record<string, unknown>;
      inhibit_rules: { source_matchers: string[]; target_matchers: string[] }[];
      time_intervals: { name: string }[];
    };
    expect(Object.fromEntries(Object.entries(config.route).filter(([key]) => key !== 'routes'))).toEqual({
      receiver: 'default',
      group_by: ['namespace'],
      group_wait: '30s',
      repeat_interval: '12h',
    });
    expect(config.inhibit_rules.at(-1)).toEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
      equal: ['namespace', 'alertname'],
    });
    expect(config.inhibit_rules[0]!.target_matchers.slice(-2)).toEqual([
      expect.stringMatching(/^team=/),
      expect.stringMatching(/^service=/),
    ]);
    expect(config.time_intervals.map((interval) => interval.name)).toContain('weekends');
  });

  it("has only the tree's inhibit rules without services (rules and routing imported only): the teams' would mute the tree's alerts", async () => {
    const { after } = await withTree();
    const imported: Platform = { ...after, services: [] };
    const config = parse(compileAlertmanager(imported, emittedAlertLabels(imported)).get(alertmanagerPath)!) as {
      inhibit_rules: unknown[];
    };
    expect(config.inhibit_rules).toEqual([
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['namespace', 'alertname'] },
    ]);
  });
});
