import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAlerts, postAlerts } from '../../../src/route-evaluator/api.ts';
import { compileAlertmanager } from '../../../src/compile/alertmanager/index.ts';
import { alertmanagerPath } from '../../../src/compile/alertmanager/names.ts';
import { emittedAlertLabels } from '../../../src/compile/prometheus/alert-labels.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import { fixtureRoot } from '../../helpers/index.ts';
import { eventually, startAlertmanager } from '../../helpers/alertmanager-server.ts';

type Labels = Record<string, string>;

// The generated inhibit rules in a real Alertmanager: each scenario fires alerts (labelled as
// the rules label them, plus series labels) in a cluster of its own, then reads back which
// are muted and by whom.
describe('generated inhibit rules in Alertmanager', () => {
  let platform: Platform;
  let am: { url: string; stop: () => Promise<void> };
  beforeAll(async () => {
    platform = await loadPlatform(fixtureRoot('alertmanager'));
    am = await startAlertmanager(compileAlertmanager(platform, emittedAlertLabels(platform)).get(alertmanagerPath)!);
  });
  afterAll(() => am?.stop());

  /** The labels of the emitted rule `alertname` at `severity`, with series labels added. */
  const rule = (alertname: string, severity: string, series: Labels = {}): Labels => {
    const found = emittedAlertLabels(platform).find((labels) => labels.alertname === alertname && labels.severity === severity);
    if (!found) throw new Error(`no rule ${alertname} (${severity})`);
    return { ...found, ...series };
  };

  async function scenario(cluster: string, firing: Labels[], muted: [Labels, Labels][], active: Labels[]): Promise<void> {
    const now = Date.now();
    const all = [...firing, ...muted.map(([target]) => target), ...active].map((labels) => ({ ...labels, cluster }));
    await postAlerts(
      am.url,
      all.map((labels) => ({
        labels,
        annotations: {},
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 600_000).toISOString(),
      })),
    );
    const fingerprint = async (labels: Labels): Promise<string> => (await getAlerts(am.url, { ...labels, cluster }))[0]!.fingerprint;
    for (const [target, source] of muted) {
      const status = await eventually(
        async () => {
          const alert = (await getAlerts(am.url, { ...target, cluster }))[0];
          return alert && alert.status.inhibitedBy.length > 0 ? alert.status : undefined;
        },
        10_000,
        () => `${JSON.stringify(target)} never inhibited`,
      );
      expect(status.state).toBe('suppressed');
      expect(status.inhibitedBy).toEqual([await fingerprint(source)]);
    }
    // Evaluated at read time against the same sources, so the muted ones above prove the sources are in.
    for (const labels of active) {
      const alert = (await getAlerts(am.url, { ...labels, cluster }))[0]!;
      expect({ labels: alert.labels.alertname, ...alert.status }).toEqual({
        labels: labels.alertname,
        state: 'active',
        inhibitedBy: [],
        silencedBy: [],
      });
    }
  }

  it('a more severe level mutes the lesser levels of the same alert, service and series only', async () => {
    const critical = rule('ApiErrorRateHigh', 'critical', { job: 'api' });
    const high = rule('ApiRouteSlow', 'high', { job: 'api', route: '/checkout' });
    await scenario(
      'severity',
      [critical, high],
      [
        [rule('ApiErrorRateHigh', 'warning', { job: 'api' }), critical],
        [rule('ApiRouteSlow', 'warning', { job: 'api', route: '/checkout' }), high],
      ],
      // Another route of the same alert, and another alert of the same service, stay loud.
      [rule('ApiRouteSlow', 'warning', { job: 'api', route: '/search' }), rule('DatabaseConnectionsHigh', 'warning', { job: 'database' })],
    );
  });

  it('an escalated alert mutes the levels of its own series it escalated from', async () => {
    const route = { job: 'api', route: '/checkout' };
    const escalated = rule('ApiRouteSlow', 'critical', route);
    expect(escalated.escalated).toBe('true');
    await scenario(
      'escalation',
      [escalated],
      [
        [rule('ApiRouteSlow', 'warning', route), escalated],
        [rule('ApiRouteSlow', 'high', route), escalated],
      ],
      [rule('ApiRouteSlow', 'warning', { job: 'api', route: '/search' })],
    );
  });

  it("an SLO's page tier mutes its ticket tier", async () => {
    const page = rule('ApiAvailabilityBudgetBurnPage', 'critical');
    await scenario('tiers', [page], [[rule('ApiAvailabilityBudgetBurnTicket', 'warning'), page]], []);
  });

  it("a service's outage mutes its other alerts, and the alerts of the services that depend on it", async () => {
    const databaseDown = rule('DatabaseDown', 'critical', { job: 'database' });
    const apiDown = rule('ApiDown', 'critical', { job: 'api' });
    await scenario(
      'cascade',
      [databaseDown],
      [
        [rule('DatabaseConnectionsHigh', 'critical', { job: 'database' }), databaseDown],
        [apiDown, databaseDown],
        [rule('SearchDown', 'critical', { job: 'search' }), databaseDown],
        // A muted alert still mutes: api's own outage, muted by the database's, mutes the rest of api.
        [rule('ApiErrorRateHigh', 'critical', { job: 'api' }), apiDown],
      ],
      [],
    );
  });

  it('an outage does not mute services that do not depend on it, nor other environments', async () => {
    const apiDown = rule('ApiDown', 'critical', { job: 'api' });
    await scenario(
      'dependency-direction',
      [apiDown],
      [[rule('ApiErrorRateHigh', 'warning', { job: 'api' }), apiDown]],
      [rule('DatabaseConnectionsHigh', 'warning', { job: 'database' }), rule('SearchDown', 'critical', { job: 'search' })],
    );
    // The same outage in another cluster mutes nothing here.
    await postAlerts(am.url, [
      {
        labels: { ...rule('DatabaseDown', 'critical', { job: 'database' }), cluster: 'elsewhere' },
        annotations: {},
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 600_000).toISOString(),
      },
    ]);
    await scenario(
      'isolated',
      [apiDown],
      [[rule('ApiErrorRateHigh', 'warning', { job: 'api' }), apiDown]],
      [rule('SearchDown', 'critical', { job: 'search' })],
    );
  });
});
