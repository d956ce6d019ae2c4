import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amtoolFindings } from '../../../src/check/amtool.ts';
import type { RouteTests } from '../../../src/compile/alertmanager/expectations.ts';
import { routeTestsPath } from '../../../src/compile/alertmanager/names.ts';
import { compile } from '../../../src/compile/index.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { FileSet } from '../../../src/output/fileset.ts';
import { writeFileSet } from '../../../src/output/write.ts';
import { repoRoot } from '../../helpers/index.ts';

interface RuleFile {
  groups: { rules: { alert?: string; labels?: Record<string, string> }[] }[];
}

// The example platform in definitions/: every alert its rule files contain, at every severity,
// has a route test, and amtool (Alertmanager 0.25) passes each of them.
describe('routing of the example platform', () => {
  let files: FileSet;
  let dir: string;
  beforeAll(async () => {
    files = compile(await loadPlatform(repoRoot));
    dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-example-'));
    await writeFileSet(path.join(dir, 'generated'), files);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('has a route test for every alerting rule of the generated rule files', () => {
    const rules = [...files]
      .filter(([file]) => file.startsWith('prometheus/rules/'))
      .flatMap(([, content]) => (parse(content) as RuleFile).groups.flatMap((group) => group.rules))
      .filter((rule) => rule.alert)
      .map((rule) =>
        JSON.stringify({ alertname: rule.alert, ...rule.labels }, Object.keys({ alertname: rule.alert, ...rule.labels }).sort()),
      );
    const { cases } = JSON.parse(files.get(routeTestsPath)!) as RouteTests;
    const tested = cases.filter((each) => each.labels.test === undefined).map((each) => JSON.stringify(each.labels));
    expect(rules.length).toBeGreaterThan(50);
    expect([...tested].sort()).toEqual([...rules].sort());
    // Every severity the platform uses is exercised, and every case reaches someone.
    expect(new Set(cases.map((each) => each.labels.severity))).toEqual(new Set(['critical', 'high', 'warning', 'info']));
    for (const each of cases) expect(each.receivers.length).toBeGreaterThan(0);
  });

  it('passes amtool check-config and every route test', async () => {
    expect(await amtoolFindings(path.join(dir, 'generated'), files)).toEqual([]);
  });
});
