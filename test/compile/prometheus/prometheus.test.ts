import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { promtoolFindings } from '../../../src/check/promtool.ts';
import { compilePrometheus } from '../../../src/compile/prometheus/index.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import type { FileSet } from '../../../src/output/fileset.ts';
import { writeFileSet } from '../../../src/output/write.ts';
import { fixtureRoot, repoRoot, withGenerated } from '../../helpers/index.ts';

let platform: Platform;
let files: FileSet;

beforeAll(async () => {
  platform = await loadPlatform(fixtureRoot('platform'));
  files = compilePrometheus(platform);
});

const golden = (name: string): Promise<string> => readFile(path.join(repoRoot, 'test/golden', name), 'utf8');

interface RuleFile {
  groups: {
    name: string;
    interval?: string;
    rules: { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string> }[];
  }[];
}
interface TestFile {
  tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
}

describe('prometheus compiler', () => {
  it('matches the reviewed golden rule and test files', async () => {
    expect(files.get('prometheus/rules/api.rules.yml')).toBe(await golden('api.rules.yml'));
    expect(files.get('prometheus/tests/api.test.yml')).toBe(await golden('api.test.yml'));
    expect(files.get('prometheus/slo-shapes/errors-30d.rules.yml')).toBe(await golden('slo-shapes/errors-30d.rules.yml'));
    expect(files.get('prometheus/tests/slo-shapes/errors-30d.test.yml')).toBe(await golden('slo-shapes/errors-30d.test.yml'));
    expect(files.get('prometheus/tests/slo-shapes/errors-30d.days.test.yml')).toBe(await golden('slo-shapes/errors-30d.days.test.yml'));
  });

  it('is deterministic', () => {
    expect(compilePrometheus(platform)).toEqual(files);
  });

  it('emits exact burn-rate thresholds, scaled to a 28d window', () => {
    const rules = parse(files.get('prometheus/rules/api.rules.yml')!) as RuleFile;
    const alert = (name: string) => rules.groups.flatMap((group) => group.rules).find((rule) => rule.alert === name)!;
    expect(alert('ApiAvailabilityBudgetBurnPage').expr).toBe(
      '(slo:sli_error:ratio_rate1h{service="api",slo="availability"} > 0.0144 and slo:sli_error:ratio_rate5m{service="api",slo="availability"} > 0.0144) or (slo:sli_error:ratio_rate6h{service="api",slo="availability"} > 0.006 and slo:sli_error:ratio_rate30m{service="api",slo="availability"} > 0.006)',
    );
    expect(alert('ApiLatencyBudgetBurnTicket').expr).toBe(
      '(slo:sli_error:ratio_rate1d{service="api",slo="latency"} > 0.14 and slo:sli_error:ratio_rate2h{service="api",slo="latency"} > 0.14) or (slo:sli_error:ratio_rate3d{service="api",slo="latency"} > (7 / 150) and slo:sli_error:ratio_rate6h{service="api",slo="latency"} > (7 / 150))',
    );
    expect(alert('ApiLatencyBudgetBurnPage').labels).toEqual({
      service: 'api',
      team: 'platform',
      severity: 'critical',
      slo: 'latency',
      tier: 'page',
    });
  });

  it('gives every alert the labels and annotations routing relies on', () => {
    const rules = parse(files.get('prometheus/rules/api.rules.yml')!) as {
      groups: { rules: { alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[];
    };
    const alerts = rules.groups.flatMap((group) => group.rules).filter((rule) => rule.alert);
    expect(alerts.length).toBe(23);
    for (const alert of alerts) {
      expect(alert.alert).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(Object.keys(alert.labels!)).toEqual(expect.arrayContaining(['service', 'team', 'severity']));
      expect(Object.keys(alert.annotations!)).toEqual(['summary', 'description', 'runbook_url']);
    }
  });

  it('derives every SLO window from the 5m aggregates, the long ones in a slower group', () => {
    const rules = parse(files.get('prometheus/rules/api.rules.yml')!) as RuleFile;
    const group = (name: string) => rules.groups.find((each) => each.name === name)!;
    expect(group('api-slo-availability').interval).toBeUndefined();
    expect(group('api-slo-availability').rules.map((rule) => rule.record ?? rule.alert)).toEqual([
      'slo:sli_events:rate5m',
      'slo:sli_bad_events:rate5m',
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:current_burn_rate:ratio',
      'ApiAvailabilityBudgetBurnPage',
      'ApiAvailabilityBudgetBurnTicket',
    ]);
    expect(group('api-slo-latency-long')).toMatchObject({ interval: '2m' });
    expect(group('api-slo-latency-long').rules.map((rule) => rule.record)).toEqual([
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:sli_error:ratio_rate28d',
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:time_period:days',
      'slo:history_start:timestamp',
      'slo:period_coverage:ratio',
      'slo:period_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio',
    ]);
    // Only the 5m aggregates (and the latency SLO's bucket warning) read raw series; every window reads them.
    const raw = rules.groups
      .filter((each) => each.name.includes('-slo-'))
      .flatMap((each) => each.rules.filter((rule) => /_total|_count|_bucket/.test(rule.expr)));
    expect(raw.map((rule) => rule.record ?? rule.alert)).toEqual([
      'slo:sli_events:rate5m',
      'slo:sli_bad_events:rate5m',
      'slo:sli_events:rate5m',
      'slo:sli_bad_events:rate5m',
      'ApiLatencyThresholdBucketMissing',
    ]);
    expect(group('api-slo-latency-long').rules[2]!.expr).toBe(
      'sum_over_time(slo:sli_bad_events:rate5m{service="api",slo="latency"}[28d]) / sum_over_time(slo:sli_events:rate5m{service="api",slo="latency"}[28d])',
    );
  });

  it('writes each SLO shape once, with its wiring tests, and each service only its own SLO tests', () => {
    const shapes = [...files.keys()].filter((file) => file.includes('slo-shapes/')).sort();
    expect(shapes).toEqual([
      'prometheus/slo-shapes/errors-30d.rules.yml',
      'prometheus/slo-shapes/latency-28d.rules.yml',
      'prometheus/tests/slo-shapes/errors-30d.days.test.yml',
      'prometheus/tests/slo-shapes/errors-30d.test.yml',
      'prometheus/tests/slo-shapes/latency-28d.days.test.yml',
      'prometheus/tests/slo-shapes/latency-28d.test.yml',
    ]);
    expect([...files.keys()].filter((file) => file.endsWith('.slo.test.yml'))).toEqual([]);
    // A shape's rules are its exemplar's recording rules: nothing there alerts.
    const shape = parse(files.get('prometheus/slo-shapes/latency-28d.rules.yml')!) as RuleFile;
    expect(shape.groups.map((group) => group.name)).toEqual(['shape-slo-latency', 'shape-slo-latency-long']);
    expect(shape.groups.flatMap((group) => group.rules).filter((rule) => rule.alert)).toEqual([]);
  });

  it('runs the outage alert in a fast group', () => {
    const rules = parse(files.get('prometheus/rules/api.rules.yml')!) as RuleFile;
    expect(rules.groups[0]).toMatchObject({ name: 'api-outage', interval: '10s' });
  });

  it('tests every alert it emits with a firing case', () => {
    const rules = parse(files.get('prometheus/rules/api.rules.yml')!) as RuleFile;
    const tests = parse(files.get('prometheus/tests/api.test.yml')!) as TestFile;
    const emitted = new Set(rules.groups.flatMap((group) => group.rules.flatMap((rule) => (rule.alert ? [rule.alert] : []))));
    const firing = new Set(
      tests.tests.flatMap((group) => group.alert_rule_test.filter((each) => each.exp_alerts.length > 0).map((each) => each.alertname)),
    );
    expect(firing).toEqual(emitted);
  });

  it('passes promtool check rules --lint-fatal and promtool test rules', async () => {
    expect(await withGenerated(files, (dir) => promtoolFindings(dir, files))).toEqual([]);
  });

  it('fails promtool test rules when a rule drifts from its tests', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-promtool-'));
    const broken = new Map(files);
    const path0 = 'prometheus/rules/api.rules.yml';
    // A page threshold below the 'steady burn between the tiers' scenario makes it page.
    broken.set(path0, files.get(path0)!.replaceAll('> 0.006', '> 0.004'));
    try {
      await writeFileSet(path.join(dir, 'generated'), broken);
      const findings = await promtoolFindings(path.join(dir, 'generated'), broken);
      // One finding per test file that loads the drifted rule file, each naming its file.
      expect(findings.map((finding) => finding.split(':')[0])).toContain('prometheus/tests/api.test.yml');
      // One line per failed case: the alert, the time and which alerts differ.
      for (const line of findings.flatMap((finding) => finding.split('\n')))
        expect(line).toMatch(/^prometheus\/tests\/api[\w.-]*\.test\.yml: alert \w+ at \w+: expected .* \[validators\/promtool-test\]$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
