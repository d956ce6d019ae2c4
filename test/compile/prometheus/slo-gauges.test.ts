import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { promtoolFindings } from '../../../src/check/promtool.ts';
import { compilePrometheus } from '../../../src/compile/prometheus/index.ts';
import { gauge, gaugeSlo, select, type GaugeBound } from '../../../src/index.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import { fixtureRoot, withGenerated } from '../../helpers/index.ts';

// Gauge SLOs of every bound against promtool: each comparison (`<`, `<=`, `>`, `>=`) is
// simulated as Prometheus evaluates it, the service's own gauges fire both tiers, and the
// gauges sitting on the bound count as good or bad as the comparison says.

let platform: Platform;

beforeAll(async () => {
  platform = await loadPlatform(fixtureRoot('slo-kinds'));
});

const temperature = gauge({ name: 'room_temperature_celsius', help: 'Temperature.', labels: ['room'] });

const bounds: [string, GaugeBound][] = [
  ['below', { below: 25 }],
  ['at-most', { atMost: 25 }],
  ['above', { above: 18 }],
  ['at-least', { atLeast: 18 }],
];

/** The slo-kinds platform with its wifi service's SLOs replaced by one gauge SLO per bound. */
function withBounds(): Platform {
  const slos = bounds.map(([name, good]) => gaugeSlo({ name, objective: 99, gauge: select(temperature, { room: name }), good }));
  return { ...platform, services: platform.services.map((service) => (service.name === 'wifi' ? { ...service, slos } : service)) };
}

describe('gauge SLOs of every bound', () => {
  it('pass their promtool tests: the shape’s wiring tests and the service’s own, which fire from its gauges', async () => {
    const files = compilePrometheus(withBounds());
    // Every bound shares the one gauge shape of the window.
    expect([...files.keys()].filter((file) => file.startsWith('prometheus/slo-shapes/'))).toContain(
      'prometheus/slo-shapes/gauge-30d.rules.yml',
    );
    const tests = parse(files.get('prometheus/tests/wifi.test.yml')!) as {
      tests: { alert_rule_test: { exp_alerts: { exp_labels: Record<string, string> }[] }[] }[];
    };
    // Each SLO's tiers fire from its own gauges too, not only from the written window series.
    const fromGauges = tests.tests.flatMap((group) =>
      group.alert_rule_test.flatMap((each) => each.exp_alerts.filter((alert) => alert.exp_labels.case === undefined)),
    );
    expect(new Set(fromGauges.map((alert) => `${alert.exp_labels.slo} ${alert.exp_labels.tier}`))).toEqual(
      new Set(bounds.flatMap(([name]) => [`${name} page`, `${name} ticket`])),
    );
    expect(await withGenerated(files, (dir) => promtoolFindings(dir, files))).toEqual([]);
  });
});
