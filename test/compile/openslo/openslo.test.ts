import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { openSloFindings } from '../../../src/check/openslo.ts';
import { promtoolFindings } from '../../../src/check/promtool.ts';
import { compile } from '../../../src/compile/index.ts';
import { openSloProblems } from '../../../src/compile/openslo/spec.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import type { FileSet } from '../../../src/output/fileset.ts';
import { fixtureRoot, monforgeInProcess, repoRoot, withGenerated } from '../../helpers/index.ts';
import { initProject } from '../../import/slo/scratch.ts';

// The OpenSLO target: every SLO as OpenSLO v1, valid against the spec, and an import of it
// gives back the same SLOs.

let platform: Platform;
let files: FileSet;

beforeAll(async () => {
  platform = await loadPlatform(fixtureRoot('slo-kinds'));
  files = compile(platform);
});

const opensloFiles = (set: FileSet): string[] => [...set.keys()].filter((file) => file.startsWith('openslo/')).sort();
const golden = (name: string): Promise<string> => readFile(path.join(repoRoot, 'test/golden/openslo', name), 'utf8');

describe('the OpenSLO target', () => {
  it('is off by default and leaves every other file byte for byte as it was', () => {
    const without = compile({ ...platform, config: { ...platform.config, targets: {} } });
    expect(opensloFiles(without)).toEqual([]);
    for (const [file, content] of without) expect(files.get(file), file).toBe(content);
    expect(opensloFiles(files)).toEqual(['openslo/checkout-api.yaml', 'openslo/wifi.yaml']);
  });

  it('writes a Service and its SLOs per service: the reviewed golden files', async () => {
    for (const name of ['checkout-api.yaml', 'wifi.yaml']) {
      if (process.env.MONFORGE_UPDATE_GOLDEN)
        await writeFile(path.join(repoRoot, 'test/golden/openslo', name), files.get(`openslo/${name}`)!);
      expect(files.get(`openslo/${name}`), name).toBe(await golden(name));
    }
  });

  it('is valid OpenSLO v1, its queries valid PromQL; the example platform’s too', async () => {
    expect(openSloFindings(files)).toEqual([]);
    expect(openSloFindings(compile(await loadPlatform(repoRoot)))).toEqual([]);
  });

  it('names the file, the object and the field of what is not OpenSLO v1 or not PromQL', () => {
    const broken = new Map([
      [
        'openslo/wifi.yaml',
        files
          .get('openslo/wifi.yaml')!
          .replace('query: wifi_client_satisfaction_ratio{site!="lab"}', 'query: wifi_client_satisfaction_ratio{site!="lab"'),
      ],
    ]);
    expect(openSloFindings(broken)).toEqual([
      'openslo/wifi.yaml: SLO "wifi-good-satisfaction": spec.indicator.spec.thresholdMetric.metricSource.spec.query: invalid PromQL: incomplete expression at end [validators/openslo-schema]',
    ]);
  });

  it('keeps the SLOs’ and their alerts’ promtool tests passing: gauge SLOs, a shared alert name, no alerts', async () => {
    expect(await withGenerated(files, (dir) => promtoolFindings(dir, files))).toEqual([]);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: the tests change arbitrary object YAML by path
type Json = any;

describe('OpenSLO v1 validation', () => {
  const example = async (name: string): Promise<unknown> =>
    parse(await readFile(path.join(repoRoot, 'test/fixtures/import/slo/openslo', name), 'utf8'));
  const slo = (): Json => parseAllDocuments(files.get('openslo/checkout-api.yaml')!)[1]!.toJS();

  it("accepts OpenSLO's own examples", async () => {
    expect(openSloProblems(await example('occurrences-slo.yaml'))).toEqual([]);
    expect(openSloProblems(await example('ratio-timeslices.yaml'))).toEqual([]);
  });

  it.each([
    ['a target of 1 or more', (object: Json) => (object.spec.objectives[0].target = 1), ['spec.objectives.0.target: must be below 1']],
    [
      'target and targetPercent',
      (object: Json) => (object.spec.objectives[0].targetPercent = 99),
      ['spec.objectives.0: must have exactly one of target and targetPercent'],
    ],
    [
      'an unknown budgeting method',
      (object: Json) => (object.spec.budgetingMethod = 'Events'),
      ['spec.budgetingMethod: Invalid option: expected one of "Occurrences"|"Timeslices"|"RatioTimeslices"'],
    ],
    [
      'time slices without a slice window',
      (object: Json) => (object.spec.budgetingMethod = 'RatioTimeslices'),
      ['spec.objectives.0.timeSliceWindow: is required with budgetingMethod RatioTimeslices'],
    ],
    [
      'a window in seconds',
      (object: Json) => (object.spec.timeWindow[0].duration = '86400s'),
      ['spec.timeWindow.0.duration: must be a duration shorthand such as 30d, 4w or 1M'],
    ],
    [
      'a misspelt field',
      (object: Json) => (object.spec.indicator.spec.ratioMetric.totl = {}),
      ['spec.indicator.spec.ratioMetric: Unrecognized key: "totl"'],
    ],
    [
      'good and bad',
      (object: Json) => (object.spec.indicator.spec.ratioMetric.bad = object.spec.indicator.spec.ratioMetric.good),
      ['spec.indicator.spec.ratioMetric: must have exactly one of good and bad with total'],
    ],
    [
      'a name that is no RFC 1123 label',
      (object: Json) => (object.metadata.name = 'Checkout_API'),
      ['metadata.name: must be an RFC 1123 label: lower-case letters, digits and "-"'],
    ],
  ])('refuses %s', (_, change, problems) => {
    const object = slo();
    change(object);
    expect(openSloProblems(object)).toEqual(problems);
  });
});

describe('an import of the OpenSLO files', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ root, cleanup } = await initProject());
    for (const file of opensloFiles(files)) await writeFile(path.join(root, path.basename(file)), files.get(file)!);
  });
  afterAll(() => cleanup());

  it('gives back the same SLOs: the same SLO rule groups, alerts and all', async () => {
    const imported = await monforgeInProcess(root, 'import', ...opensloFiles(files).map((file) => path.basename(file)));
    expect(imported.stderr).toBe('');
    expect(imported.stdout.trimEnd().split('\n').at(-1)).toBe('6/6 SLOs equivalent');
    expect(await monforgeInProcess(root, 'generate')).toMatchObject({ code: 0 });
    const groups = (text: string) => (parse(text) as { groups: { name: string }[] }).groups.filter((group) => group.name.includes('-slo-'));
    for (const service of ['wifi', 'checkout-api']) {
      const again = await readFile(path.join(root, `generated/prometheus/rules/${service}.rules.yml`), 'utf8');
      expect(groups(again), service).toEqual(groups(files.get(`prometheus/rules/${service}.rules.yml`)!));
    }
  });
});
