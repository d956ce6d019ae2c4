import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolFindings } from '../../../src/check/promtool.ts';
import { compilePrometheus } from '../../../src/compile/prometheus/index.ts';
import { DefinitionErrors } from '../../../src/load/errors.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import { promql, type ThresholdAlert } from '../../../src/index.ts';
import { alertHealthSignal } from '../../../src/model/health.ts';
import type { Platform } from '../../../src/model/platform.ts';
import type { FileSet } from '../../../src/output/fileset.ts';
import { writeFileSet } from '../../../src/output/write.ts';
import { fixtureRoot } from '../../helpers/index.ts';

let platform: Platform;
let files: FileSet;
let scratch: string;

beforeAll(async () => {
  const loaded = await loadPlatform(fixtureRoot('platform'));
  platform = { ...loaded, config: { ...loaded.config, grafanaBaseUrl: 'https://grafana.example.com' } };
  files = compilePrometheus(platform);
  scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-health-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** promtool on a set of files, in a fresh directory. */
async function promtool(set: FileSet): Promise<string[]> {
  const dir = await mkdtemp(path.join(scratch, 'run-'));
  await writeFileSet(path.join(dir, 'generated'), set);
  return promtoolFindings(path.join(dir, 'generated'), set);
}

interface Rule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}
const healthRules = (set: FileSet): Rule[] =>
  (parse(set.get('prometheus/rules/platform-health.rules.yml')!) as { groups: { rules: Rule[] }[] }).groups[0]!.rules;

describe('health-score rules', () => {
  it('weigh availability 40 %, performance 30 %, error rate 20 %, resource usage 10 %, each from its alerts', () => {
    const rules = healthRules(files);
    expect(rules.map((rule) => `${rule.record}${JSON.stringify(rule.labels ?? {})} = ${rule.expr}`)).toEqual([
      'severity:health_penalty:ratio{"severity":"critical"} = vector(1)',
      'severity:health_penalty:ratio{"severity":"high"} = vector(0.75)',
      'severity:health_penalty:ratio{"severity":"warning"} = vector(0.5)',
      'severity:health_penalty:ratio{"severity":"info"} = vector(0.25)',
      'service:health_availability:ratio{"service":"api"} = (avg(up{job="api"}) unless on() ALERTS{alertname="ApiDown",alertstate="firing",service="api"}) or vector(0)',
      'service:health_performance:ratio{"service":"api"} = 1 - (max(ALERTS{alertname=~"ApiLatencyBudgetBurnPage|ApiLatencyBudgetBurnTicket|SlowResponses|LatencySpike|LowThroughput",alertstate="firing",service="api"} * on(severity) group_left() severity:health_penalty:ratio) or vector(0))',
      'service:health_errors:ratio{"service":"api"} = 1 - (max(ALERTS{alertname=~"ApiAvailabilityBudgetBurnPage|ApiAvailabilityBudgetBurnTicket|HighErrorRate",alertstate="firing",service="api"} * on(severity) group_left() severity:health_penalty:ratio) or vector(0))',
      'service:health_resources:ratio{"service":"api"} = 1 - (max(ALERTS{alertname=~"MemoryPressure|CacheHitRatioLow",alertstate="firing",service="api"} * on(severity) group_left() severity:health_penalty:ratio) or vector(0))',
      'service:health_score:percent{"service":"api"} = 40 * service:health_availability:ratio{service="api"} + 30 * service:health_performance:ratio{service="api"} + 20 * service:health_errors:ratio{service="api"} + 10 * service:health_resources:ratio{service="api"}',
      'platform:health_score:percent{} = avg(service:health_score:percent)',
    ]);
  });

  it('pass promtool check rules and their generated promtool tests, next to every service rule file with dashboard links', async () => {
    expect(await promtool(files)).toEqual([]);
    const tests = parse(files.get('prometheus/tests/platform-health.test.yml')!) as { rule_files: string[]; tests: { name: string }[] };
    expect(tests.rule_files).toEqual(['../rules/platform-health.rules.yml']);
    expect(tests.tests.map((test) => test.name)).toEqual([
      'health: every service healthy scores 100',
      'health: a firing critical alert of api costs 1 of its component',
      'health: a firing high alert of api costs 0.75 of its component',
      'health: a firing warning alert of api costs 0.5 of its component',
      'health: a firing info alert of api costs 0.25 of its component',
      'health: half the targets down and the first alert of each component firing at its mildest level',
      'health: the most severe firing alert of a component counts',
      'health: pending alerts do not count',
      'health: an outage alert, or no target at all, is zero availability',
    ]);
  });

  it.each([
    ['a weight', '40 * service:health_availability', '45 * service:health_availability'],
    ['a penalty', 'vector(0.75)', 'vector(0.7)'],
    ['the alert state', 'alertstate="firing",service="api"} * on', 'service="api"} * on'],
  ])('fail their promtool tests when %s changes', async (_what, from, to) => {
    // Only the health score's own files: promtool runs on what it is given.
    const broken = new Map([...files].filter(([file]) => file.includes('platform-health')));
    broken.set('prometheus/rules/platform-health.rules.yml', files.get('prometheus/rules/platform-health.rules.yml')!.replace(from, to));
    const findings = await promtool(broken);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toContain('tests/platform-health.test.yml');
    expect(findings[0]).toContain('[validators/promtool-test]');
  });

  it('are not written without services: the platform score would average series nothing records', () => {
    const health = (set: FileSet): string[] => [...set.keys()].filter((file) => file.includes('platform-health'));
    expect(health(files)).toEqual(['prometheus/rules/platform-health.rules.yml', 'prometheus/tests/platform-health.test.yml']);
    expect(health(compilePrometheus({ ...platform, services: [] }))).toEqual([]);
  });

  it('reserve the rule file name: no service may be called platform-health', async () => {
    const error = await loadPlatform(fixtureRoot('bad/reserved-service-name')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DefinitionErrors);
    expect((error as DefinitionErrors).message).toBe(
      'definitions/api.ts: service "platform-health" › name: "platform-health" is reserved for the platform health-score rules; choose another name [definitions/reserved-name]',
    );
  });
});

describe('the component an alert lowers', () => {
  it('follows what the alert measures, unless the definition says otherwise', () => {
    expect(platform.services[0]!.alerts!.map((alert) => `${alert.name} ${alertHealthSignal(alert)}`)).toEqual([
      'HighErrorRate errors',
      'SlowResponses performance',
      'LatencySpike performance',
      'MemoryPressure resources',
      'LowThroughput performance',
      'CacheHitRatioLow resources',
    ]);
    const raw = (unit: 'seconds' | 'percent'): ThresholdAlert => ({
      name: 'Raw',
      levels: { warning: 1 },
      summary: 's',
      description: 'd',
      expr: promql({ expr: 'x', unit, testSeries: () => [] }),
    });
    expect(alertHealthSignal(raw('seconds'))).toBe('performance');
    expect(alertHealthSignal(raw('percent'))).toBe('resources');
    expect(alertHealthSignal({ ...raw('percent'), healthSignal: 'errors' })).toBe('errors');
  });
});
