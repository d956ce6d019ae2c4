import { describe, expect, it } from 'vitest';
import {
  alert,
  counter,
  defineConfig,
  defineRouteTree,
  defineRuleGroup,
  defineSeverities,
  defineTeam,
  pagerduty,
  pql,
  record,
  select,
} from '../../src/index.ts';
import type { Exported } from '../../src/load/collect.ts';
import { formatError, type DefinitionError } from '../../src/load/errors.ts';
import { buildPlatform } from '../../src/load/load.ts';

// Rule groups and route trees of the definitions' own (what `monforge import` writes): the
// loader reports each mistake with file, object and field, all at once; where the types already
// reject it, `@ts-expect-error` proves it.

const config = defineConfig({ runbookBaseUrl: 'https://runbooks.example.com/' });
const team = defineTeam({
  name: 'platform',
  receivers: { pager: pagerduty({ routingKeyFile: '/etc/alertmanager/secrets/pagerduty' }) },
  notify: { critical: ['pager'], high: ['pager'], warning: ['pager'], info: ['pager'] },
});
const requests = counter({ name: 'http_requests_total', help: 'Requests.', labels: ['code', 'job'] });
const fires = {
  name: 'fires',
  series: [{ series: 'up{job="api"}', values: '0x10' }],
  at: '5m',
  fires: [{ labels: { job: 'api', severity: 'warning' }, annotations: {} }],
} as const;

const group = defineRuleGroup({
  name: 'api',
  service: 'api',
  team: 'platform',
  interval: '30s',
  rules: [
    record({ name: 'job:http_requests:rate5m', expr: pql`sum by (job) (rate(${select(requests, { code: '500' })}[5m]))` }),
    alert({ name: 'ApiDown', expr: 'up{job="api"} == 0', for: '5m', labels: { severity: 'warning' }, tests: [fires] }),
  ],
});

function load(...extra: [string, unknown][]): string[] {
  const exported: Exported[] = [['config', config] as const, ['team', team] as const, ...extra].map(([exportName, value]) => ({
    source: `definitions/${exportName}.ts`,
    exportName,
    value,
  }));
  const errors: DefinitionError[] = [];
  buildPlatform(exported, (error) => errors.push(error));
  return errors.map(formatError);
}

describe('loading rule groups', () => {
  it('accepts a group, and its typed selectors declare their metrics for the whole platform', () => {
    expect(load(['group', group])).toEqual([]);
    const exported: Exported[] = [
      { source: 'a.ts', exportName: 'config', value: config },
      { source: 'a.ts', exportName: 'team', value: team },
      { source: 'a.ts', exportName: 'group', value: group },
    ];
    expect([...buildPlatform(exported, () => {})!.metrics.keys()]).toEqual(['http_requests_total']);
  });

  it('reports an unknown team, a second group of a name in one service, invalid PromQL, unknown severities and untested alerts', () => {
    const broken = defineRuleGroup({
      name: 'api',
      service: 'api',
      team: 'platfrom',
      rules: [
        alert({ name: 'Broken', expr: 'rate(up[5m]', labels: { severity: 'page' }, untested: 'no series' }),
        alert({ name: 'Quiet', expr: 'up == 0', tests: [{ ...fires, fires: [] }] }),
        alert({ name: 'Both', expr: 'up == 0', labels: { severity: 'warning' }, tests: [fires], untested: 'it does not' }),
      ],
    });
    expect(load(['group', group], ['broken', broken])).toEqual([
      'definitions/broken.ts: rule group "api" › team: unknown team "platfrom" (did you mean "platform"?) [references/unknown-team]',
      'definitions/broken.ts: rule group "api" › name: service "api" has a second group of this name (the first is in definitions/group.ts): Prometheus needs group names unique within a rule file [rules/duplicate-group]',
      'definitions/broken.ts: rule group "api" › alert "Broken" › expr: invalid PromQL: incomplete expression at end [promql/syntax]',
      `definitions/broken.ts: rule group "api" › alert "Broken" › labels.severity: "page" is not a severity: use critical, high, warning, info, or declare it with defineSeverities({ "page": '<the one it behaves as>' }) [rules/unknown-severity]`,
      'definitions/broken.ts: rule group "api" › alert "Quiet" › tests: no case fires the alert: add one (series, at, fires), or say in untested why it cannot have one [rules/no-firing-case]',
      'definitions/broken.ts: rule group "api" › alert "Both" › untested: the alert has a case that fires: remove untested [rules/untested-but-fires]',
    ]);
  });

  it('knows the severities defineSeverities declares, and only one of them', () => {
    const paged = defineRuleGroup({
      ...group,
      rules: [alert({ name: 'Paged', expr: 'up == 0', labels: { severity: 'page' }, untested: 'no series' })],
    });
    expect(load(['group', paged], ['severities', defineSeverities({ page: 'critical' })])).toEqual([]);
    // @ts-expect-error a severity maps to one of monforge's four
    defineSeverities({ page: 'urgent' });
    expect(
      load(['group', paged], ['severities', defineSeverities({ page: 'critical' })], ['more', defineSeverities({ p1: 'critical' })]),
    ).toEqual([
      'definitions/more.ts: severities: a second defineSeverities(...) (the first is in definitions/severities.ts) [definitions/second-singleton]',
    ]);
  });

  it('checks shapes: names, durations, fields that are not there', () => {
    const bad = { ...group, name: '', interval: '30 s', rules: [{ kind: 'alert', name: 'Has Space', expr: 'up', owner: 'me' }] };
    expect(load(['bad', bad])).toEqual([
      'definitions/bad.ts: rule group "" › name: must not be empty [schema/invalid-value]',
      'definitions/bad.ts: rule group "" › interval: "30 s" is not a Prometheus duration like "5m" or "30d" [schema/invalid-value]',
      'definitions/bad.ts: rule group "" › rule "Has Space" › name: is not a valid Prometheus metric name [schema/invalid-value]',
      'definitions/bad.ts: rule group "" › rule "Has Space": unknown field "owner" (fields: annotations, expr, for, keepFiringFor, kind, labels, name, tests, untested) [schema/unknown-field]',
    ]);
  });
});

describe('loading a route tree', () => {
  const tree = defineRouteTree({
    route: {
      receiver: 'default',
      groupBy: ['alertname'],
      routes: [{ receiver: 'oncall', matchers: ['severity = page'], muteTimeIntervals: ['nights'] }],
    },
    receivers: { default: {}, oncall: { pagerduty_configs: [{ routing_key_file: '/etc/alertmanager/secrets/oncall' }] } },
    timeIntervals: { nights: { periods: [{ times: [{ start: '00:00', end: '06:00' }] }] } },
    inhibitRules: [{ sourceMatchers: ['severity = page'], targetMatchers: ['severity = info'], equal: ['alertname'] }],
    tests: [{ labels: { severity: 'page' }, receivers: ['oncall'] }],
  });

  it('accepts a tree', () => {
    expect(load(['tree', tree])).toEqual([]);
  });

  it('reports unknown receivers and intervals, matchers that do not parse, a root that is not one, names monforge takes', () => {
    defineRouteTree({
      // @ts-expect-error the root's receiver is one of the tree's receivers
      route: { receiver: 'nobody' },
      receivers: { default: {} },
    });
    const bad = {
      ...tree,
      route: {
        receiver: 'default',
        matchers: ['team = a'],
        continue: true,
        routes: [{ receiver: 'pager', matchers: ['severity ~ page'], activeTimeIntervals: ['weekends'] }],
      },
      receivers: { ...tree.receivers, 'platform-critical': {} },
      inhibitRules: [{ sourceMatchers: ['='], targetMatchers: [] }],
    };
    expect(load(['tree', bad])).toEqual([
      'definitions/tree.ts: route tree › receivers › platform-critical: "platform-critical" is the name of a receiver monforge makes for the teams: rename it [routing/name-taken]',
      'definitions/tree.ts: route tree › route › routes[0] › receiver: unknown receiver "pager" (known: default, oncall, platform-critical) [references/unknown-receiver]',
      'definitions/tree.ts: route tree › route › routes[0] › matchers › [0]: "severity ~ page" is not a matcher like label="value" [routing/invalid-matcher]',
      'definitions/tree.ts: route tree › route › routes[0] › activeTimeIntervals: unknown time interval "weekends" (known: nights) [references/unknown-time-interval]',
      'definitions/tree.ts: route tree › route › matchers: the root route matches every alert: it has no matchers [routing/root-route]',
      'definitions/tree.ts: route tree › route › continue: the root route has no siblings to continue to [routing/root-route]',
      'definitions/tree.ts: route tree › inhibitRules[0] › sourceMatchers › [0]: "=" is not a matcher like label="value" [routing/invalid-matcher]',
    ]);
  });

  it('reports inline secrets with the file key to use, keys of newer Alertmanagers', () => {
    const leaky = {
      ...tree,
      receivers: {
        default: {},
        oncall: { pagerduty_configs: [{ routing_key: 'K3Y' }], msteams_configs: [{}] },
        hook: { webhook_configs: [{ url: 'http://example.com/', url_file: '/x', http_config: { bearer_token: 'T0K3N' } }] },
      },
    };
    expect(load(['tree', leaky])).toEqual([
      'definitions/tree.ts: route tree › receivers.oncall.pagerduty_configs.0.routing_key: inline secrets are not allowed: put it in a file and set routing_key_file [secrets/inline]',
      'definitions/tree.ts: route tree › receivers.oncall.msteams_configs: read by Alertmanager 0.26, not by 0.25, which the generated configuration must load in [routing/newer-alertmanager]',
      'definitions/tree.ts: route tree › receivers.hook.webhook_configs.0.http_config.bearer_token: inline secrets are not allowed: put it in a file and set bearer_token_file [secrets/inline]',
      'definitions/tree.ts: route tree › receivers.hook.webhook_configs.0.url_file: read by Alertmanager 0.26, not by 0.25, which the generated configuration must load in [routing/newer-alertmanager]',
    ]);
    expect(load(['tree', tree], ['second', tree])).toEqual([
      'definitions/second.ts: route tree: a second defineRouteTree(...) (the first is in definitions/tree.ts) [definitions/second-singleton]',
    ]);
  });
});
