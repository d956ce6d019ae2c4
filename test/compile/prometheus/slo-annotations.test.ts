import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { promtoolFindings } from '../../../src/check/promtool.ts';
import { compilePrometheus } from '../../../src/compile/prometheus/index.ts';
import { expectedAlertNear } from '../../../src/compile/prometheus/promtool-cases/expect.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import { fixtureRoot, withGenerated } from '../../helpers/index.ts';

// A burn alert's annotations may print $value: the long window's error ratio of the pair that
// burns. The service's own SLO tests expect the value promtool computes, for the boundary cases
// (the series written) and for the SLO's own series (the simulation's ratio), on every SLO kind.

let platform: Platform;

beforeAll(async () => {
  platform = await loadPlatform(fixtureRoot('slo-kinds'));
});

/** The slo-kinds platform with every SLO's burn alerts printing $value, and one tier with printf. */
function printingValue(): Platform {
  return {
    ...platform,
    services: platform.services.map((service) => ({
      ...service,
      slos: service.slos?.map((slo) => ({
        ...slo,
        annotations: { ...slo.annotations, ratio: 'error ratio {{ $value | humanizePercentage }}' },
        tiers: { ...slo.tiers, ticket: { ...slo.tiers?.ticket, annotations: { exact: '{{ printf "%.4f" $value }}' } } },
      })),
    })),
  };
}

interface TestFile {
  tests: {
    alert_rule_test: { eval_time: string; exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[] }[];
  }[];
}

describe('burn alerts whose annotations print $value', () => {
  it('pass their promtool tests, each alert expecting the value of its long window', async () => {
    const files = compilePrometheus(printingValue());
    const tests = parse(files.get('prometheus/tests/checkout-api.test.yml')!) as TestFile;
    const orders = tests.tests
      .flatMap((group) => group.alert_rule_test.flatMap((each) => each.exp_alerts))
      .filter((alert) => alert.exp_labels.slo === 'orders' && alert.exp_labels.tier === 'page');
    const ratioOf = (theCase: string | undefined): string[] => [
      ...new Set(orders.filter((alert) => alert.exp_labels.case === theCase).map((alert) => alert.exp_annotations.ratio!)),
    ];
    // 99.9 %: the 1h/5m pair burns above 1.44 %. Just above it on the long window, the value is that
    // window's; just above it on the short window, the long window burns at twice the threshold.
    expect(ratioOf('page 1h just above 0.0144')).toEqual(['error ratio 1.44%']);
    expect(ratioOf('page 5m just above 0.0144')).toEqual(['error ratio 2.88%']);
    // The SLO's own series burn half way between the highest threshold and a total outage.
    expect(ratioOf(undefined)).toEqual(['error ratio 50.72%']);
    expect(await withGenerated(files, (dir) => promtoolFindings(dir, files))).toEqual([]);
  });

  it('leave an alert unchecked at a time its value prints on the edge of a rounding, where promtool may land on either side', () => {
    const rule = {
      alert: 'Burning',
      expr: 'vector(1)',
      labels: {},
      annotations: { summary: 'at {{ printf "%.1f" $value }}' },
    };
    expect(expectedAlertNear(rule, {}, [0.5072])?.exp_annotations).toEqual({ summary: 'at 0.5' });
    // Go prints 0.25 as 0.2 and a hair above it as 0.3.
    expect(expectedAlertNear(rule, {}, [0.25])).toBeUndefined();
    // Two versions' semantics that print differently.
    expect(expectedAlertNear(rule, {}, [0.5, 0.7])).toBeUndefined();
    // Annotations that do not print $value are expected whatever it is.
    expect(expectedAlertNear({ ...rule, annotations: { summary: 'burning' } }, {}, [0.25, 0.7])?.exp_annotations).toEqual({
      summary: 'burning',
    });
  });
});
