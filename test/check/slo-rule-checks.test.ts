import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultCache } from '../../src/cache/result-cache.ts';
import { ruleIntervalFindings } from '../../src/check/rule-intervals.ts';
import { cachedSloShapeFindings, sloShapeFindings } from '../../src/check/slo-shapes.ts';
import { compilePrometheus } from '../../src/compile/prometheus/index.ts';
import { loadPlatform } from '../../src/load/load.ts';
import type { Platform } from '../../src/model/platform.ts';
import type { FileSet } from '../../src/output/fileset.ts';
import { fixtureRoot } from '../helpers/index.ts';

// What promtool's unit tests cannot see: a group's interval (promtool ignores it), and whether
// a service's SLO rules are still those of the shape whose wiring tests stand for them.

let platform: Platform;
let files: FileSet;
let kinds: Platform;
let kindFiles: FileSet;
let work: string;
const api = 'prometheus/rules/api.rules.yml';
const wifi = 'prometheus/rules/wifi.rules.yml';

beforeAll(async () => {
  platform = await loadPlatform(fixtureRoot('platform'));
  files = compilePrometheus(platform);
  // Gauge SLOs (of a bound and of values), SLOs with labels of their own, a shared alert name.
  kinds = await loadPlatform(fixtureRoot('slo-kinds'));
  kindFiles = compilePrometheus(kinds);
  work = await mkdtemp(path.join(os.tmpdir(), 'monforge-slo-checks-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const changed = (path: string, edit: (content: string) => string): FileSet => new Map(files).set(path, edit(files.get(path)!));

describe('rule group intervals', () => {
  it('find nothing in the generated rules', () => {
    expect(ruleIntervalFindings(files)).toEqual([]);
    expect(ruleIntervalFindings(kindFiles)).toEqual([]);
  });

  it("find a gauge SLO's aggregates recorded less often than every 5m", () => {
    const rare = new Map(kindFiles).set(
      wifi,
      kindFiles.get(wifi)!.replace('  - name: wifi-slo-mean-satisfaction\n', '  - name: wifi-slo-mean-satisfaction\n    interval: 6m\n'),
    );
    const findings = ruleIntervalFindings(rare);
    expect(findings).toContain(
      `${wifi}: group "wifi-slo-mean-satisfaction" runs every 6m, but its slo:sli_bad_events:rate5m covers 5m and "wifi-slo-mean-satisfaction" sums it over time: events between its evaluations go uncounted; run it at most every 5m (promtool test rules ignores a group's interval, so \`monforge check\` checks it)`,
    );
    // Its events too, and the long group reading them across groups.
    expect(findings).toHaveLength(3);
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
    expect(sloShapeFindings(kinds, kindFiles)).toEqual([]);
  });

  it("name a gauge SLO whose bound's comparison differs from its shape's", () => {
    const wrong = new Map(kindFiles).set(
      wifi,
      kindFiles
        .get(wifi)!
        .replace('wifi_client_satisfaction_ratio{site!="lab"} < 0.75', 'wifi_client_satisfaction_ratio{site!="lab"} <= 0.75'),
    );
    expect(sloShapeFindings(kinds, wrong)).toEqual([
      `${wifi}: SLO "good-satisfaction": its recording rules are not those of prometheus/slo-shapes/gauge-30d.rules.yml, whose wiring tests stand for them: "expr": "sum_over_time(count($total <= 0.75)[5m:]) or on() 0 * slo:sli_events:rate5m{$slo}", where the shape has "expr": "sum_over_time(count($badSamples)[5m:]) or on() 0 * slo:sli_events:rate5m{$slo}",`,
    ]);
  });

  it("name an SLO one of whose rules lacks the SLO's own labels", () => {
    const wrong = new Map(kindFiles).set(
      wifi,
      kindFiles
        .get(wifi)!
        .replace(
          /(record: slo:objective:ratio\n\s+expr: vector\(0\.95\)\n\s+labels:\n\s+service: wifi\n\s+slo: good-satisfaction\n)\s+cluster: valhalla\n/,
          '$1',
        ),
    );
    expect(wrong.get(wifi)).not.toBe(kindFiles.get(wifi));
    expect(sloShapeFindings(kinds, wrong)).toEqual([
      `${wifi}: SLO "good-satisfaction": its recording rules are not those of prometheus/slo-shapes/gauge-30d.rules.yml, whose wiring tests stand for them: "labels": "service=wifi, slo=good-satisfaction" where the shape has "labels": "$labels"`,
    ]);
  });

  it('name the SLO whose window differs from its shape, and the first difference', () => {
    const wrong = changed(api, (content) => content.replace('slo="latency"}[1d]) / sum_over_time', 'slo="latency"}[2h]) / sum_over_time'));
    const findings = sloShapeFindings(platform, wrong);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(
      /^prometheus\/rules\/api\.rules\.yml: SLO "latency": its recording rules are not those of prometheus\/slo-shapes\/latency-28d\.rules\.yml, whose wiring tests stand for them: "expr": "sum_over_time\(slo:sli_bad_events:rate5m\{\$slo\}\[2h\]\)/,
    );
  });

  it('are kept in the cache per service: the same definitions and bytes find them there, a changed file is checked again', async () => {
    const root = path.join(work, 'cache');
    const cache = await ResultCache.open(root);
    const wrong = new Map(files).set(
      api,
      files.get(api)!.replace('slo="latency"}[1d]) / sum_over_time', 'slo="latency"}[2h]) / sum_over_time'),
    );
    expect(await cachedSloShapeFindings(platform, wrong, cache)).toEqual(sloShapeFindings(platform, wrong));
    expect(await cachedSloShapeFindings(platform, files, cache)).toEqual([]);
    // What a later check reads is what the cache holds: an entry changed by hand is believed.
    const [build] = await readdir(root);
    const entries = (await readdir(path.join(root, build!), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    const stored = await Promise.all(
      entries.map(
        async (entry) =>
          [path.join(entry.parentPath, entry.name), await readFile(path.join(entry.parentPath, entry.name), 'utf8')] as const,
      ),
    );
    const passed = stored.find(([, text]) => text === '[]')!;
    await writeFile(passed[0], JSON.stringify(['from the cache']));
    expect(await cachedSloShapeFindings(platform, files, await ResultCache.open(root))).toEqual(['from the cache']);
    // Without a cache: computed.
    expect(await cachedSloShapeFindings(platform, files, undefined)).toEqual([]);
  });

  it('find an SLO whose shape file is missing', () => {
    const missing = new Map(files);
    missing.delete('prometheus/slo-shapes/errors-30d.rules.yml');
    expect(sloShapeFindings(platform, missing)).toEqual([
      'prometheus/rules/api.rules.yml: SLO "availability": prometheus/slo-shapes/errors-30d.rules.yml, the shape its wiring tests exercise, is missing',
    ]);
  });
});
