import { beforeAll, describe, expect, it } from 'vitest';
import { ruleIntervalFindings } from '../../src/check/rule-intervals.ts';
import { sloShapeFindings } from '../../src/check/slo-shapes.ts';
import { compilePrometheus } from '../../src/compile/prometheus/index.ts';
import { loadPlatform } from '../../src/load/load.ts';
import type { Platform } from '../../src/model/platform.ts';
import type { FileSet } from '../../src/output/fileset.ts';
import { fixtureRoot } from '../helpers/index.ts';

// What promtool's unit tests cannot see: a group's interval (promtool ignores it), and whether
// a service's SLO rules are still those of the shape whose wiring tests stand for them.

let platform: Platform;
let files: FileSet;
const api = 'prometheus/rules/api.rules.yml';

beforeAll(async () => {
  platform = await loadPlatform(fixtureRoot('platform'));
  files = compilePrometheus(platform);
});

const changed = (path: string, edit: (content: string) => string): FileSet => new Map(files).set(path, edit(files.get(path)!));

describe('rule group intervals', () => {
  it('find nothing in the generated rules', () => {
    expect(ruleIntervalFindings(files)).toEqual([]);
  });

  it('find a long SLO group that runs too rarely for the alert reading its windows', () => {
    const slow = changed(api, (content) => content.replace(/(name: api-slo-availability-long\n\s+interval: )2m/, '$130m'));
    expect(ruleIntervalFindings(slow)).toEqual([
      `${api}: group "api-slo-availability-long" runs every 30m, but group "api-slo-availability" reads its slo:sli_error:ratio_rate1d: a series not refreshed within Prometheus's 5m lookback goes missing after one late round; run it at most every 150s (promtool test rules ignores a group's interval, so \`monforge check\` checks it)`,
    ]);
  });

  it('find 5m aggregates recorded less often than every 5m', () => {
    const rare = changed(api, (content) =>
      content.replace('  - name: api-slo-latency\n', '  - name: api-slo-latency\n    interval: 10m\n'),
    );
    expect(ruleIntervalFindings(rare)).toContain(
      `${api}: group "api-slo-latency" runs every 10m, but its slo:sli_bad_events:rate5m covers 5m and "api-slo-latency" sums it over time: events between its evaluations go uncounted; run it at most every 5m (promtool test rules ignores a group's interval, so \`monforge check\` checks it)`,
    );
    // Groups without an interval run at the global one.
    expect(ruleIntervalFindings(files, '10m').length).toBeGreaterThan(0);
  });
});

describe('SLO rules against their shapes', () => {
  it('find nothing in the generated rules', () => {
    expect(sloShapeFindings(platform, files)).toEqual([]);
  });

  it('name the SLO whose window differs from its shape, and the first difference', () => {
    const wrong = changed(api, (content) => content.replace('slo="latency"}[1d]) / sum_over_time', 'slo="latency"}[2h]) / sum_over_time'));
    const findings = sloShapeFindings(platform, wrong);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(
      /^prometheus\/rules\/api\.rules\.yml: SLO "latency": its recording rules are not those of prometheus\/slo-shapes\/latency-28d\.rules\.yml, whose wiring tests stand for them: "expr": "sum_over_time\(slo:sli_bad_events:rate5m\{\$slo\}\[2h\]\)/,
    );
  });

  it('find an SLO whose shape file is missing', () => {
    const missing = new Map(files);
    missing.delete('prometheus/slo-shapes/errors-30d.rules.yml');
    expect(sloShapeFindings(platform, missing)).toEqual([
      'prometheus/rules/api.rules.yml: SLO "availability": prometheus/slo-shapes/errors-30d.rules.yml, the shape its wiring tests exercise, is missing',
    ]);
  });
});
