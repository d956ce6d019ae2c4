import { describe, expect, it } from 'vitest';
import { mostSevere, notifications } from '../../src/backtest/notifications.ts';
import type { Episode } from '../../src/backtest/simulate.ts';
import { FileProblems, parseAlertmanagerFile } from '../../src/reader/index.ts';

// Alertmanager's dispatcher and notification log on hand-made episodes; every expected time
// is worked out in the comments (seconds from 0, which is a Thursday, 1970-01-01 00:00 UTC).

function config(yaml: string) {
  const problems = new FileProblems('alertmanager.yml');
  const file = parseAlertmanagerFile('alertmanager.yml', yaml, problems);
  expect(problems.list).toStrictEqual([]);
  return file!.config;
}

const base = `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
receivers:
  - name: team
    slack_configs: [{ channel: '#x', api_url_file: /x, send_resolved: true }]
  - name: quiet
    email_configs: [{ to: a@example.com }]
`;

const episode = (alertname: string, start: number, end: number | undefined, labels: Record<string, string> = {}): Episode => ({
  labels: { alertname, severity: 'warning', ...labels },
  activeAt: start,
  start,
  end,
});

const times = (sent: ReturnType<typeof notifications>) => sent.map((each) => `${each.time} ${each.kind} ${each.alerts}`);

describe('notifications (Alertmanager dispatch and notification log)', () => {
  it('first after group_wait, new alerts at the next group_interval tick, repeats after repeat_interval, resolved when all are', () => {
    const sent = notifications(
      [episode('A', 100, 9000, { instance: '1' }), episode('A', 200, 9000, { instance: '2' })],
      config(base),
      20_000,
    );
    // 130 first (group_wait) with one alert; 430 the second one is new; then nothing new until the
    // last notification is more than repeat_interval old at a flush: 4330 (at 4030 it is exactly 1h
    // old, not older), again 8230; both resolved at 9000 → the flush at 9130 sends the resolved notice.
    expect(times(sent)).toStrictEqual(['130 firing 1', '430 firing 2', '4330 firing 2', '8230 firing 2', '9130 resolved 2']);
  });

  it('an alert that fires and resolves between two flushes of an empty log notifies nobody', () => {
    expect(notifications([episode('A', 100, 120)], config(base), 1000)).toStrictEqual([]);
  });

  it('an empty group is destroyed: a later alert waits group_wait again', () => {
    const sent = notifications([episode('A', 0, 60), episode('A', 1000, undefined)], config(base), 2000);
    // 30 first; 330 resolved (group destroyed); 1030 a new group's first flush.
    expect(times(sent)).toStrictEqual(['30 firing 1', '330 resolved 1', '1030 firing 1']);
  });

  it('receivers that do not send resolved notices get none', () => {
    const yaml = base.replace('receiver: team\n  group_by', 'receiver: quiet\n  group_by');
    expect(times(notifications([episode('A', 0, 60)], config(yaml), 1000))).toStrictEqual(['30 firing 1']);
  });

  it('inhibited alerts are left out at flush time; a muted-only notification is not sent', () => {
    const yaml = `${base}
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service]
`;
    const sent = notifications(
      [
        episode('Crit', 0, 3000, { severity: 'critical', service: 'api' }),
        episode('Warn', 0, 600, { service: 'api' }),
        episode('Warn', 0, 600, { service: 'web' }),
      ],
      config(yaml),
      4000,
    );
    // At 30 the api warning is muted by the critical one (same service); the web one is not.
    expect(sent.filter((each) => each.kind === 'firing').map((each) => `${each.time} ${each.severity} ${each.alerts}`)).toStrictEqual([
      '30 critical 1',
      '30 warning 1',
    ]);
  });

  it('mute and active time intervals hold notifications back while in force', () => {
    const yaml = `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1h
  repeat_interval: 1h
  routes:
    - receiver: team
      matchers: [severity="info"]
      active_time_intervals: [office]
    - receiver: team
      matchers: [severity="warning"]
      mute_time_intervals: [night]
receivers:
  - name: team
    webhook_configs: [{ url: 'http://x', send_resolved: false }]
time_intervals:
  - name: office
    time_intervals: [{ weekdays: ['monday:friday'], times: [{ start_time: '09:00', end_time: '17:00' }] }]
  - name: night
    time_intervals: [{ times: [{ start_time: '00:00', end_time: '06:00' }] }]
`;
    // Thursday 00:00 UTC, flushes every hour: the warning is muted until 06:00 (sent at 21600,
    // repeated when more than 1h old: 28800, 36000); the info alert waits for office hours (09:00).
    const sent = notifications([episode('I', 0, undefined, { severity: 'info' }), episode('W', 0, undefined)], config(yaml), 40_000);
    expect(sent.map((each) => `${each.time} ${each.severity}`)).toStrictEqual([
      '21600 warning',
      '28800 warning',
      '32400 info',
      '36000 warning',
      '39600 info',
    ]);
  });

  it('the most severe alert names the notification', () => {
    expect(mostSevere(['warning', 'critical', 'info'])).toBe('critical');
    expect(mostSevere(['page', 'info'])).toBe('info');
  });
});
