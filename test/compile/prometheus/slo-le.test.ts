import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/check/tools.ts';
import { serviceRuleGroups } from '../../../src/compile/prometheus/service-rules.ts';
import { defineService, histogram, latencySlo, select } from '../../../src/index.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import { toYaml } from '../../../src/output/serialize.ts';
import { goFloat, javaFloat, numberPattern } from '../../../src/promql/numbers.ts';
import { fixtureRoot } from '../../helpers/index.ts';

// Prometheus 2.x keeps `le` as the exporter wrote it: the latency SLI must find its bucket
// however it is spelled, on every instance, and never a neighbouring bucket.

const anchored = (value: number): RegExp => new RegExp(`^(?:${numberPattern(value)})$`);

describe('numberPattern', () => {
  it('matches every usual spelling of the number and nothing else', () => {
    const cases: [number, string[], string[]][] = [
      [
        0.25,
        ['0.25', '0.250', '.25', '2.5e-01', '2.5e-1', '2.50E-1', '2.5E-01'],
        ['0.025', '2.5', '0.2505', '0.251', '25', '2.5e-02', '0.25e0'],
      ],
      [5e-5, ['5e-05', '0.00005', '5.0E-5', '0.000050', '5E-5', '5.00e-005'], ['5e-06', '5e-04', '0.0005', '0.000005', '5e-5x', '50e-6']],
      [1, ['1', '1.0', '1.000', '1e+00', '1e0', '1.0E0'], ['10', '0.1', '1e1', '11', '1.01']],
      [1e6, ['1e+06', '1000000', '1000000.0', '1.0E6'], ['100000', '1e+05', '1e+07']],
      [0.1, ['0.1', '0.10', '1e-01', '1.0E-1'], ['0.01', '1', '0.11']],
    ];
    for (const [value, spellings, others] of cases) {
      for (const spelling of spellings) expect(anchored(value).test(spelling), `${value} ~ ${spelling}`).toBe(true);
      for (const other of others) expect(anchored(value).test(other), `${value} !~ ${other}`).toBe(false);
    }
  });

  it('matches the spellings of client libraries for a range of bucket bounds', () => {
    for (const value of [
      0.00001, 0.00005, 0.0001, 0.005, 0.01, 0.025, 0.1, 0.2, 0.25, 0.5, 1, 2.5, 5, 10, 60, 100000, 1e6, 0.30000000000000004,
    ]) {
      for (const spelling of [goFloat(value), javaFloat(value), String(value)])
        expect(anchored(value).test(spelling), `${value} ~ ${spelling}`).toBe(true);
    }
    expect([goFloat(5e-5), goFloat(1e6), goFloat(0.25), goFloat(1)]).toEqual(['5e-05', '1e+06', '0.25', '1']);
    expect([javaFloat(5e-5), javaFloat(1e7), javaFloat(0.25), javaFloat(1)]).toEqual(['5.0E-5', '1.0E7', '0.25', '1.0']);
  });
});

const duration = histogram({
  name: 'rpc_duration_seconds',
  help: 'RPC latency.',
  labels: ['method'],
  buckets: [0.000005, 0.00005, 0.0005, 0.025, 0.25, 2.5],
});

async function rules(): Promise<string> {
  const { config } = await loadPlatform(fixtureRoot('platform'));
  const service = defineService({
    name: 'rpc',
    team: 'platform',
    tier: 'high',
    selector: { job: 'rpc' },
    slos: [
      latencySlo({ name: 'fast', objective: 99, histogram: select(duration), threshold: 0.25 }),
      latencySlo({ name: 'tiny', objective: 99, histogram: select(duration), threshold: 0.00005 }),
    ],
  });
  return toYaml({ groups: serviceRuleGroups(config, service) });
}

/**
 * Four instances, each with its own spelling of every bound, 600 requests a minute each. On
 * instance i, `fast[i]` of them are at or below 0.25 s and `tiny[i]` at or below 50 µs.
 */
const spellings = [
  { instance: 'go', spell: goFloat },
  { instance: 'java', spell: javaFloat },
  { instance: 'padded', spell: (value: number) => `${goFloat(value).includes('e') ? value.toFixed(7) : `${goFloat(value)}00`}` },
  { instance: 'c-printf', spell: (value: number) => value.toExponential(2).replace(/e([+-])(\d)$/, 'e$10$2') },
];
const fast = [540, 480, 420, 360];
const tiny = [60, 30, 120, 90];

function series(): { series: string; values: string }[] {
  return spellings.flatMap(({ instance, spell }, index) => {
    const le = (bound: number, count: number) => ({
      series: `rpc_duration_seconds_bucket{instance="${instance}",job="rpc",le="${spell(bound)}",method="get"}`,
      values: `0+${count}x10`,
    });
    const counts = new Map([
      [0.000005, tiny[index]! / 2],
      [0.00005, tiny[index]!],
      [0.0005, tiny[index]! + 10],
      [0.025, fast[index]! - 30],
      [0.25, fast[index]!],
      [2.5, 600],
    ]);
    return [
      ...[...counts].map(([bound, count]) => le(bound, count)),
      { series: `rpc_duration_seconds_bucket{instance="${instance}",job="rpc",le="+Inf",method="get"}`, values: '0+600x10' },
      { series: `rpc_duration_seconds_count{instance="${instance}",job="rpc",method="get"}`, values: '0+600x10' },
    ];
  });
}

describe('latency SLI with mixed `le` spellings (promtool)', () => {
  it('finds the bucket on every instance, for a bound below 1e-4 too, and no neighbour', async () => {
    expect(spellings.map(({ spell }) => spell(0.25))).toEqual(['0.25', '0.25', '0.2500', '2.50e-01']);
    expect(spellings.map(({ spell }) => spell(0.00005))).toEqual(['5e-05', '5.0E-5', '0.0000500', '5.00e-05']);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-le-'));
    try {
      await mkdir(path.join(dir, 'rules'));
      await writeFile(path.join(dir, 'rules/rpc.rules.yml'), await rules());
      const expected = (good: number[]): number => 1 - good.reduce((a, b) => a + b, 0) / (600 * spellings.length);
      const check = (slo: string, value: number) => ({
        expr: `abs(slo:sli_error:ratio_rate5m{slo="${slo}"} - ${value}) < bool 1e-9`,
        eval_time: '10m',
        exp_samples: [{ labels: `{service="rpc", slo="${slo}"}`, value: 1 }],
      });
      const tests = {
        rule_files: ['rules/rpc.rules.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            name: 'mixed spellings',
            interval: '1m',
            input_series: series(),
            promql_expr_test: [check('fast', expected(fast)), check('tiny', expected(tiny))],
          },
        ],
      };
      await writeFile(path.join(dir, 'le.test.yml'), toYaml(tests));
      const result = await runTool('promtool', ['test', 'rules', 'le.test.yml'], dir);
      expect(result.output).toContain('SUCCESS');
      expect(result.ok).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
