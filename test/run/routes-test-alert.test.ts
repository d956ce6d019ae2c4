import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/processes.ts';
import { monforgeInProcess, scratchCopy } from '../helpers/index.ts';
import { eventually, startAlertmanager, startCapture, type Notification } from '../helpers/alertmanager-server.ts';

const monforge = monforgeInProcess;

// `routes` and `test-alert` on the Alertmanager fixture, whose webhook receivers point at a
// capturing server, with the generated configuration running in a real Alertmanager.
describe('monforge routes and test-alert', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let capture: Awaited<ReturnType<typeof startCapture>>;
  let am: { url: string; stop: () => Promise<void> };
  beforeAll(async () => {
    ({ root, cleanup } = await scratchCopy('alertmanager'));
    capture = await startCapture();
    // Alertmanager reads the secret files when it sends: give it real ones.
    await mkdir(path.join(root, 'secrets'));
    for (const file of await readdir(path.join(root, 'definitions'))) {
      const at = path.join(root, 'definitions', file);
      const source = await readFile(at, 'utf8');
      for (const [, name] of source.matchAll(/\/etc\/alertmanager\/secrets\/([\w-]+)/g))
        await writeFile(path.join(root, 'secrets', name!), 'test-secret\n');
      await writeFile(
        at,
        source.replaceAll('http://127.0.0.1:9/', `${capture.url}/`).replaceAll('/etc/alertmanager/secrets/', `${root}/secrets/`),
      );
    }
    expect(await monforge(root, 'generate')).toMatchObject({ code: 0 });
    am = await startAlertmanager(await readFile(path.join(root, 'generated/alertmanager/alertmanager.yml'), 'utf8'));
  });
  afterAll(async () => {
    await am?.stop();
    await capture?.stop();
    await cleanup?.();
  });

  it('routes prints the tree, one route a line', async () => {
    const { code, stdout } = await monforge(root, 'routes');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('root → stakeholders; group by alertname, service, cluster; wait 1m, interval 5m, repeat 4h');
    expect(lines).toContain(
      '├─ {alertname="ApiDown", test!="true"} → remediation; continue; group by ...; wait 0s, interval 1m, repeat 1h',
    );
    expect(lines).toContain(
      '   ├─ {service="api", severity=~"high|warning"} → platform-critical; continue; wait 0s, interval 2s, repeat 30m; only during launch',
    );
    expect(lines).toContain('│  └─ {severity="info"} → data-info; wait 5m, interval 1h, repeat 24h; muted during db-maintenance');
    expect(lines).toContain('   └─ {severity="info"} → digest; wait 5m, interval 1h, repeat 24h; muted during business-hours');
    expect(lines).toHaveLength(1 + 2 + 1 + 5 + 7);
  });

  it('routes with labels names the receivers, the routes that matched and the inhibit rules that could mute the alert', async () => {
    const { code, stdout } = await monforge(
      root,
      'routes',
      'alertname=ApiRouteSlow',
      'service=api',
      'team=platform',
      'severity=warning',
      'job=api',
      'route=/checkout',
    );
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'alert {alertname="ApiRouteSlow", service="api", team="platform", severity="warning", job="api", route="/checkout"}',
        'receivers: platform-critical, platform-warning',
        'matched routes:',
        '  platform-critical: root › {team="platform"} › {service="api", severity=~"high|warning"} (only during launch)',
        '  platform-warning: root › {team="platform"} › {severity="warning"}',
        'inhibit rules that could mute it:',
        '  while an alert {severity="critical"} fires with the same alertname, service, cluster, job, route',
        '  while an alert {severity="high"} fires with the same alertname, service, cluster, job, route',
        '  while an alert {outage="true"} fires with the same service, cluster',
        '  while an alert {service="database", outage="true"} fires with the same cluster',
        '',
      ].join('\n'),
    );
    expect(await monforge(root, 'routes', 'severity')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^"severity" is not label=value\n/),
    });
  });

  it('test-alert sends an alert labelled like the real one through Alertmanager to its receivers, never to remediation, and resolves it', async () => {
    const { code, stdout } = await monforge(root, 'test-alert', '--alertmanager', am.url, '--like', 'ApiDown', '--duration', '2s');
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: [
        `sent {alertname="ApiDown", outage="true", service="api", severity="critical", team="platform", test="true"} to ${am.url}`,
        'Alertmanager routes it to: stakeholders, platform-critical (active)',
        'resolving in 2s',
        'resolved',
        '',
      ].join('\n'),
    });
    const delivered = (where: string, status: string): Notification | undefined =>
      capture.received.find(
        (each) => each.path === where && each.status === status && each.alerts.some((alert) => alert.labels.test === 'true'),
      );
    for (const where of ['/platform-pager', '/stakeholders']) {
      const firing = await eventually(
        () => delivered(where, 'firing'),
        10_000,
        () => `no firing notification at ${where}`,
      );
      expect(firing.alerts[0]!.labels).toMatchObject({ alertname: 'ApiDown', service: 'api', team: 'platform', test: 'true' });
      await eventually(
        () => delivered(where, 'resolved'),
        10_000,
        () => `no resolved notification at ${where}`,
      );
    }
    expect(capture.received.filter((each) => each.path === '/remediation')).toEqual([]);
  });

  it('test-alert asks which alert when a name has several severities, and says when Alertmanager is unreachable', async () => {
    // Which alert is meant is the invocation's to say: usage, exit 2.
    const ambiguous = await monforge(root, 'test-alert', '--alertmanager', am.url, '--like', 'ApiRouteSlow');
    expect(ambiguous).toMatchObject({ code: 2, stdout: '' });
    expect(ambiguous.stderr).toMatch(
      /^several "ApiRouteSlow" alerts match; choose with: --service api --severity high; --service api --severity warning; --service api --severity critical\n\nusage: monforge test-alert /,
    );
    expect(await monforge(root, 'test-alert', '--alertmanager', am.url, '--like', 'NoSuchAlert')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^no alert named "NoSuchAlert" in the definitions\n/),
    });
    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await monforge(root, 'test-alert', '--alertmanager', closed, '--like', 'ApiRouteSlow', '--severity', 'high');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toMatch(new RegExp(`^cannot reach Alertmanager at ${closed}: fetch failed \\(.*ECONNREFUSED.*\\)\\n$`));
    expect(await monforge(root, 'test-alert', '--like', 'ApiDown')).toMatchObject({ code: 2 });
  });
});
