import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inhibitorsOf, matchRoutes, routeOptions } from '../../src/route-evaluator/evaluate.ts';
import { alertingRules, readGeneratedDir, type GeneratedTree } from '../../src/reader/index.ts';
import { repoRoot } from '../helpers/index.ts';

// The evaluator on the committed generated/ of the example platform, as `diff` reads it.
describe('route options and inhibitors', () => {
  let tree: GeneratedTree;
  const labelsOf = (alertname: string, severity: string) =>
    alertingRules(tree)
      .map(({ rule }): Record<string, string> => ({ alertname: rule.alert, ...rule.labels }))
      .find((labels) => labels.alertname === alertname && labels.severity === severity)!;
  beforeAll(async () => {
    tree = await readGeneratedDir(path.join(repoRoot, 'generated'));
  });

  it('inherits receiver, grouping and timers down the path, but not time intervals', () => {
    const { route } = tree.alertmanager!.config;
    const [remediation, stakeholders, team] = matchRoutes(route, labelsOf('ApiResponseTimeHigh', 'critical')).map(routeOptions);
    expect(remediation).toEqual({
      receiver: 'remediation',
      groupBy: ['...'],
      groupWait: '0s',
      groupInterval: '1m',
      repeatInterval: '1h',
      muteTimeIntervals: [],
      activeTimeIntervals: [],
    });
    expect(stakeholders).toMatchObject({ receiver: 'stakeholders', groupBy: ['alertname', 'service'], groupWait: '10s' });
    expect(team).toMatchObject({ receiver: 'platform-critical', groupBy: ['alertname', 'service'], repeatInterval: '30m' });
    const [info] = matchRoutes(route, { ...labelsOf('DatabaseCpuHigh', 'warning'), severity: 'info' }).map(routeOptions);
    expect(info).toMatchObject({
      receiver: 'digest',
      muteTimeIntervals: ['database-maintenance'],
      activeTimeIntervals: ['business-hours'],
    });
    // A route without matchers of its own applies Alertmanager's root defaults.
    expect(routeOptions({ route: { receiver: 'x' }, path: [{ receiver: 'x' }] })).toMatchObject({
      groupBy: [],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
    });
  });

  it('finds the alerts that can mute an alert: its higher levels, its own outage, its dependencies\u2019 outages', () => {
    const alerts = alertingRules(tree).map(({ rule }): Record<string, string> => ({ alertname: rule.alert, ...rule.labels }));
    const inhibitors = inhibitorsOf(tree.alertmanager!.config.inhibitRules, alerts);
    const names = (labels: Record<string, string>) => inhibitors(labels).map(({ source }) => `${source.alertname} (${source.severity})`);
    expect(names(labelsOf('ApiErrorRateHigh', 'warning'))).toEqual([
      'ApiErrorRateHigh (critical)',
      'ApiErrorRateHigh (high)',
      'ApiDown (critical)',
      'CacheDown (critical)',
      'DatabaseDown (critical)',
    ]);
    expect(names(labelsOf('ApiErrorRateHigh', 'critical'))).toEqual([
      'ApiDown (critical)',
      'CacheDown (critical)',
      'DatabaseDown (critical)',
    ]);
    expect(names(labelsOf('ApiAvailabilityBudgetBurnTicket', 'warning'))).toEqual([
      'ApiAvailabilityBudgetBurnPage (critical)',
      'ApiDown (critical)',
      'CacheDown (critical)',
      'DatabaseDown (critical)',
    ]);
    // An outage alert is never muted by itself.
    expect(names(labelsOf('ApiDown', 'critical'))).toEqual(['CacheDown (critical)', 'DatabaseDown (critical)']);
  });
});
