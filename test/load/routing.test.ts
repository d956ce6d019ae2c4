import { describe, expect, it } from 'vitest';
import {
  counter,
  defineConfig,
  defineRouting,
  defineService,
  defineTeam,
  email,
  pagerduty,
  ratio,
  re,
  select,
  slack,
  webhook,
  definePlaybook,
} from '../../src/index.ts';
import type { Exported } from '../../src/load/collect.ts';
import { formatError, type DefinitionError } from '../../src/load/errors.ts';
import { buildPlatform } from '../../src/load/load.ts';

// Mistakes in teams' notification and the routing policy: the loader reports each with file,
// object and field, all at once. Where the types already reject a mistake, `@ts-expect-error`
// proves it, and the loader still catches it for plain JS or casts.

const requests = counter({ name: 'http_requests_total', help: 'Requests.', labels: ['code'] });
const errors = select(requests, { code: re('5..') });
const pagerKey = '/etc/alertmanager/secrets/pagerduty';
const slackUrl = '/etc/alertmanager/secrets/slack';

const config = defineConfig({ runbookBaseUrl: 'https://runbooks.example.com/' });
const team = defineTeam({
  name: 'platform',
  receivers: { pager: pagerduty({ routingKeyFile: pagerKey }), chat: slack({ channel: '#platform', apiUrlFile: slackUrl }) },
  notify: { critical: ['pager'], high: ['chat'], warning: ['chat'], info: ['chat'] },
});
const api = defineService({
  name: 'api',
  team: 'platform',
  tier: 'high',
  selector: { job: 'api' },
  traffic: { requests: select(requests), errors },
  alerts: [
    {
      name: 'ApiErrors',
      expr: ratio(errors, select(requests)),
      levels: { critical: 5, warning: 1 },
      summary: 'errors',
      description: 'errors',
    },
  ],
});
// Without absent detection, a service with no alert at all.
const batch = defineService({
  name: 'batch',
  team: 'platform',
  tier: 'low',
  selector: { job: 'batch' },
  optOut: { absent: 'best effort: nobody watches it' },
});

function load(...overrides: [string, unknown][]): string[] {
  const base: [string, unknown][] = [
    ['config', config],
    ['team', team],
    ['api', api],
    ['batch', batch],
  ];
  const names = new Set(overrides.map(([name]) => name));
  const exported: Exported[] = [...base.filter(([name]) => !names.has(name)), ...overrides].map(([exportName, value]) => ({
    source: exportName === 'routing' ? 'definitions/routing.ts' : 'definitions/platform.ts',
    exportName,
    value,
  }));
  const errors: DefinitionError[] = [];
  buildPlatform(exported, (error) => errors.push(error));
  return errors.map(formatError);
}

describe('loading teams and the routing policy', () => {
  it('accepts the base platform', () => {
    expect(load()).toEqual([]);
  });

  it('reports a notify entry naming an unknown receiver', () => {
    const typo = defineTeam({
      name: 'platform',
      receivers: { pager: pagerduty({ routingKeyFile: pagerKey }) },
      // @ts-expect-error "pagr" is not one of the team's receivers
      notify: { critical: ['pagr'], high: ['pager'], warning: ['pager'], info: ['pager'] },
    });
    expect(load(['team', typo])).toEqual([
      'definitions/platform.ts: team "platform" › notify.critical: unknown receiver "pagr" (did you mean "pager"?) [references/unknown-receiver]',
    ]);
  });

  it('reports critical alerts that would page nobody', () => {
    const quiet = defineTeam({
      name: 'platform',
      receivers: { chat: slack({ channel: '#platform', apiUrlFile: slackUrl }) },
      notify: { critical: ['chat'], high: ['chat'], warning: ['chat'], info: ['chat'] },
    });
    expect(load(['team', quiet])).toEqual([
      'definitions/platform.ts: team "platform" › notify.critical: critical alerts must page the on-call: add a pagerduty or pager receiver (has: chat (slack)) [routing/critical-not-paging]',
    ]);
  });

  it('reports inline secrets and secret paths that are not absolute files', () => {
    const leaky = {
      ...team,
      receivers: {
        pager: { kind: 'pagerduty', routingKey: 'R0ut1ngK3y' },
        chat: { kind: 'slack', channel: '#platform', apiUrlFile: 'secrets/slack' },
        hook: { kind: 'webhook', url: 'https://user:hunter2@hooks.example.com/alerts' },
        sms: { kind: 'pager', url: 'https://sms.example.com/send?api_key=abc' },
      },
    };
    // @ts-expect-error secrets are files: there is no inline routingKey
    pagerduty({ routingKey: 'R0ut1ngK3y' });
    // @ts-expect-error the remediation token is a file too
    defineConfig({ runbookBaseUrl: 'https://runbooks.example.com/', remediation: { url: 'http://127.0.0.1:9095/alerts', token: 'abc' } });
    expect(load(['team', leaky], ['config', { ...config, remediation: { url: 'http://127.0.0.1:9095/alerts', token: 'abc' } }])).toEqual([
      'definitions/platform.ts: team "platform" › receivers.pager.routingKey: inline secrets are not allowed: put the secret in a file and set routingKeyFile [secrets/inline]',
      'definitions/platform.ts: team "platform" › receivers.chat.apiUrlFile: must be the absolute path of a file holding the secret, like "/etc/alertmanager/secrets/slack" [schema/invalid-value]',
      'definitions/platform.ts: team "platform" › receivers.hook.url: inline secrets are not allowed: remove the user:password from the URL and set credentialsFile [secrets/inline]',
      'definitions/platform.ts: team "platform" › receivers.sms.url: inline secrets are not allowed: remove the "api_key" query parameter and set credentialsFile [secrets/inline]',
      'definitions/platform.ts: config › remediation.credentialsFile: is required (a string) [schema/wrong-type]',
      'definitions/platform.ts: config › remediation.token: inline secrets are not allowed: put the secret in a file and set credentialsFile [secrets/inline]',
    ]);
  });

  it('reports time ranges that end before they start, unknown time zones and bad calendar ranges', () => {
    const routing = defineRouting({
      timeIntervals: {
        nights: {
          timeZone: 'Mars/Olympus_Mons',
          periods: [{ times: [{ start: '22:00', end: '06:00' }], weekdays: ['friday:monday'], daysOfMonth: ['-1:5'] }],
        },
        lunch: { periods: [{ times: [{ start: '12:00', end: '25:00' }] }] },
      },
      events: [{ name: 'launch', start: '2027-03-02T00:00', end: '2027-03-01T00:00', timeZone: 'europe/london', services: ['api'] }],
    });
    expect(load(['routing', routing])).toEqual([
      'definitions/routing.ts: routing › timeIntervals.nights.timeZone: unknown time zone "Mars/Olympus_Mons" [schema/invalid-value]',
      'definitions/routing.ts: routing › timeIntervals.nights.periods.0.times.0: start 22:00 must be before end 06:00 (a range never crosses midnight: split it in two) [schema/invalid-value]',
      'definitions/routing.ts: routing › timeIntervals.nights.periods.0.weekdays.0: "friday:monday": the start of a range must not be after its end [schema/invalid-value]',
      'definitions/routing.ts: routing › timeIntervals.nights.periods.0.daysOfMonth.0: "-1:5": the start of a range must not be after its end [schema/invalid-value]',
      'definitions/routing.ts: routing › timeIntervals.lunch.periods.0.times.0.end: "25:00" is not a time from "00:00" to "24:00" [schema/invalid-value]',
      'definitions/routing.ts: routing › event "launch" › timeZone: unknown time zone "europe/london" [schema/invalid-value]',
      'definitions/routing.ts: routing › event "launch" › end: must be after start (2027-03-02T00:00) [schema/invalid-value]',
    ]);
  });

  it('reports unknown interval, team and service names', () => {
    const routing = defineRouting({
      timeIntervals: { weekends: { periods: [{ weekdays: ['saturday', 'sunday'] }] } },
      // @ts-expect-error "weekend" is not a defined interval
      maintenance: [{ interval: 'weekend', teams: ['platfrom'] }],
      // @ts-expect-error neither is "business-hours"
      digest: { receivers: [webhook({ url: 'https://tickets.example.com/alerts' })], during: ['business-hours'] },
      events: [{ name: 'weekends', start: '2027-03-01T00:00', end: '2027-03-02T00:00', timeZone: 'UTC', services: ['checkout'] }],
    });
    expect(load(['routing', routing])).toEqual([
      'definitions/routing.ts: routing › digest.during: unknown time interval "business-hours" (known: weekends) [references/unknown-time-interval]',
      'definitions/routing.ts: routing › maintenance.0.interval: unknown time interval "weekend" (did you mean "weekends"?) [references/unknown-time-interval]',
      'definitions/routing.ts: routing › maintenance.0.teams: unknown team "platfrom" (did you mean "platform"?) [references/unknown-team]',
      'definitions/routing.ts: routing › event "weekends" › name: "weekends" is already the name of a time interval or event [routing/event-name-taken]',
      'definitions/routing.ts: routing › event "weekends" › services: unknown service "checkout" (known: api, batch) [references/unknown-service]',
    ]);
  });

  it('reports an event route that can never match: the service has no high or warning alert', () => {
    const routing = defineRouting({
      events: [{ name: 'launch', start: '2027-03-01T00:00', end: '2027-03-02T00:00', timeZone: 'UTC', services: ['api', 'batch'] }],
    });
    expect(load(['routing', routing])).toEqual([
      'definitions/routing.ts: routing › event "launch" › services: service "batch" has no high or warning alert, so the event\'s paging route can never match it [routing/event-cannot-page]',
    ]);
  });

  it('reports info alerts without a receiver, email without SMTP, a repeat interval under 10m and playbooks without the remediation receiver', () => {
    const noInfo = defineTeam({
      name: 'platform',
      receivers: { pager: pagerduty({ routingKeyFile: pagerKey }), mail: email({ to: 'platform@example.com' }) },
      notify: { critical: ['pager'], high: ['mail'], warning: ['mail'] },
    });
    const withInfo = defineService({
      ...batch,
      alerts: [{ name: 'BatchSlow', expr: ratio(errors, select(requests)), levels: { info: 1 }, summary: 's', description: 'd' }],
    });
    const routing = defineRouting({ ladder: { warning: { repeatInterval: '5m' } } });
    const playbook = definePlaybook({
      name: 'restart',
      match: { alertname: 'ApiDown' },
      actions: [{ kind: 'log', name: 'log', message: 'restart' }],
    });
    expect(load(['team', noInfo], ['batch', withInfo], ['routing', routing], ['playbook', playbook])).toEqual([
      'definitions/routing.ts: routing › ladder.warning.repeatInterval: must be at least 10m: identical alerts are not re-sent within 10m (duplicate suppression) [schema/invalid-value]',
      'definitions/platform.ts: team "platform" › notify.info: info alerts (batch: BatchSlow) have no receiver: set notify.info or a digest in defineRouting(...) [routing/info-without-receiver]',
      'definitions/platform.ts: team "platform" › receivers.mail: email needs an SMTP server: set alertmanager: { smtp } in defineConfig(...) [routing/email-without-smtp]',
      'definitions/platform.ts: config › remediation: Alertmanager must send alerts with a playbook (like "restart" in definitions/platform.ts) to the remediation receiver: set remediation: { url, credentialsFile } [routing/remediation-receiver-missing]',
    ]);
  });

  it('reports a second routing policy', () => {
    expect(
      load(['routing', defineRouting({})], ['routing2', defineRouting({})]).map((line) => line.replace('routing2', 'routing')),
    ).toEqual([
      'definitions/platform.ts: routing: a second defineRouting(...) (the first is in definitions/routing.ts) [definitions/second-singleton]',
    ]);
  });
});
