import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { promtoolFindings } from '../../../src/check/promtool.ts';
import { compilePrometheus } from '../../../src/compile/prometheus/index.ts';
import { expectedAlertNear } from '../../../src/compile/prometheus/promtool-cases/expect.ts';
import { alertValues, type Simulation } from '../../../src/compile/prometheus/promtool-cases/slo-simulate.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import type { FileSet } from '../../../src/output/fileset.ts';
import { fixtureRoot, withGenerated } from '../../helpers/index.ts';

// A burn alert's annotations may print $value: the long window's error ratio of the pair that
// burns. The service's own SLO tests expect the value promtool computes, for the boundary cases
// (the series written) and for the SLO's own series (the simulation's ratio), on every SLO kind.

let platform: Platform;

beforeAll(async () => {
  platform = await loadPlatform(fixtureRoot('slo-kinds'));
});

/** The slo-kinds platform (or `of`) with every SLO's burn alerts printing $value as `ratio`, and their ticket tiers as `exact` too. */
function printingValue(
  ratio = 'error ratio {{ $value | humanizePercentage }}',
  exact = '{{ printf "%.4f" $value }}',
  of = platform,
): Platform {
  return {
    ...of,
    services: of.services.map((service) => ({
      ...service,
      slos: service.slos?.map((slo) => ({
        ...slo,
        annotations: { ...slo.annotations, ratio },
        tiers: { ...slo.tiers, ticket: { ...slo.tiers?.ticket, annotations: { exact } } },
      })),
    })),
  };
}

/** Every generated promtool test of the files passes. */
const promtoolPasses = async (files: FileSet): Promise<void> =>
  expect(await withGenerated(files, (dir) => promtoolFindings(dir, files))).toEqual([]);

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
    await promtoolPasses(files);
  });

  it("pass where the value is a tie of the format: a gauge's share of counts exactly, a ratio two thirds of the way", async () => {
    // A bounded gauge's shares (1/2, 1/4) are ties of `%.0f` and `%.1f`: promtool computes them exactly.
    await promtoolPasses(compilePrometheus(printingValue('{{ printf "%.0f" $value }}', '{{ printf "%.1f" $value }}')));
    // At 75 %, the highest threshold below 1 is 0.75 (3× over 1d): half way is 0.875, a tie of `%.2f`.
    const checkout = platform.services.find((service) => service.name === 'checkout-api')!;
    const orders = checkout.slos!.find((slo) => slo.name === 'orders')!;
    const loose: Platform = { ...platform, services: [{ ...checkout, slos: [{ ...orders, objective: 75 }] }] };
    const files = compilePrometheus(printingValue('{{ printf "%.2f" $value }}', '{{ printf "%.2f" $value }}', loose));
    const own = (parse(files.get('prometheus/tests/checkout-api.test.yml')!) as TestFile).tests
      .flatMap((group) => group.alert_rule_test.flatMap((each) => each.exp_alerts))
      .filter((alert) => alert.exp_labels.slo === 'orders' && alert.exp_labels.case === undefined);
    // 0.75 + 0.25 × 2/3.
    expect([...new Set(own.map((alert) => alert.exp_annotations.ratio))]).toEqual(['0.92']);
    await promtoolPasses(files);
  });

  it('leave an alert unchecked at a time its value prints on the edge of a rounding, where promtool may land on either side', () => {
    const rule = {
      alert: 'Burning',
      expr: 'vector(1)',
      labels: {},
      annotations: { summary: 'at {{ printf "%.1f" $value }}' },
    };
    const near = { exact: false };
    expect(expectedAlertNear(rule, {}, [0.5072], near)?.exp_annotations).toEqual({ summary: 'at 0.5' });
    // Go prints 0.25 as 0.2 and a hair above it as 0.3.
    expect(expectedAlertNear(rule, {}, [0.25], near)).toBeUndefined();
    // Unless promtool computes the value exactly (a ratio of counts): then 0.25 is 0.25, printed 0.2.
    expect(expectedAlertNear(rule, {}, [0.25], { exact: true })?.exp_annotations).toEqual({ summary: 'at 0.2' });
    // Two versions' semantics that print differently.
    expect(expectedAlertNear(rule, {}, [0.5, 0.7], { exact: true })).toBeUndefined();
    // Annotations that do not print $value are expected whatever it is.
    expect(expectedAlertNear({ ...rule, annotations: { summary: 'burning' } }, {}, [0.25, 0.7], near)?.exp_annotations).toEqual({
      summary: 'burning',
    });
  });
});

describe("a burn alert's value", () => {
  /** A simulation whose windows (minutes) hold these ratios at its one evaluation. */
  const simulation = (ratios: Record<number, number>): Simulation => ({
    times: [0],
    events: [1],
    bad: [1],
    ratio: (minutes) => [ratios[minutes]],
  });
  const pairs = [
    { long: 60, short: 5, threshold: 0.1 },
    { long: 360, short: 30, threshold: 0.05 },
  ];

  it("is the long window's of the first pair that burns: `or` keeps its left side's sample", () => {
    expect(alertValues(simulation({ 60: 0.3, 5: 0.4, 360: 0.6, 30: 0.7 }), pairs)).toEqual([0.3]);
    // The first pair quiet (its short window below): the second's long window.
    expect(alertValues(simulation({ 60: 0.3, 5: 0.01, 360: 0.6, 30: 0.7 }), pairs)).toEqual([0.6]);
    expect(alertValues(simulation({ 60: 0.01, 5: 0.01, 360: 0.01, 30: 0.01 }), pairs)).toEqual([undefined]);
  });
});
