import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amtoolFindings, routeTestFailures } from '../../../src/check/amtool.ts';
import { runTool } from '../../../src/check/tools.ts';
import type { RouteTests } from '../../../src/compile/alertmanager/expectations.ts';
import { compileAlertmanager } from '../../../src/compile/alertmanager/index.ts';
import { eventPeriods } from '../../../src/compile/alertmanager/intervals.ts';
import { alertmanagerPath, routeTestsPath } from '../../../src/compile/alertmanager/names.ts';
import { emittedAlertLabels } from '../../../src/compile/prometheus/alert-labels.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import type { FileSet } from '../../../src/output/fileset.ts';
import { writeFileSet } from '../../../src/output/write.ts';
import { fixtureRoot, repoRoot } from '../../helpers/index.ts';

const golden = (name: string): Promise<string> => readFile(path.join(repoRoot, 'test/golden/alertmanager', name), 'utf8');

/** Writes a FileSet to a scratch generated/ and returns that directory. */
async function written(files: FileSet): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-am-test-'));
  await writeFileSet(path.join(scratch, 'generated'), files);
  return { dir: path.join(scratch, 'generated'), cleanup: () => rm(scratch, { recursive: true, force: true }) };
}

describe('alertmanager compiler', () => {
  let platform: Platform;
  let files: FileSet;
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    platform = await loadPlatform(fixtureRoot('alertmanager'));
    files = compileAlertmanager(platform, emittedAlertLabels(platform));
    ({ dir, cleanup } = await written(files));
  });
  afterAll(() => cleanup?.());

  it('matches the reviewed golden configuration and route tests', async () => {
    expect(files.get(alertmanagerPath)).toBe(await golden('alertmanager.yml'));
    expect(files.get(routeTestsPath)).toBe(await golden('routes.test.json'));
    expect(compileAlertmanager(platform, emittedAlertLabels(platform))).toEqual(files);
  });

  it('passes amtool check-config (Alertmanager 0.25 rejects unknown keys) and every route test', async () => {
    expect(await amtoolFindings(dir, files)).toEqual([]);
  });

  it('writes one double-quoted matcher per list item, everywhere', () => {
    const config = parse(files.get(alertmanagerPath)!) as { route: Route; inhibit_rules: Record<string, string[]>[] };
    interface Route {
      matchers?: string[];
      routes?: Route[];
    }
    const lists: string[][] = [];
    const walk = (route: Route): void => {
      if (route.matchers) lists.push(route.matchers);
      route.routes?.forEach(walk);
    };
    walk(config.route);
    for (const rule of config.inhibit_rules) lists.push(rule.source_matchers!, rule.target_matchers!);
    const items = lists.flat();
    expect(items.length).toBeGreaterThan(30);
    for (const item of items) expect(item).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*(=|!=|=~|!~)"(?:[^"\\]|\\.)*"$/);
  });

  it('reports a route test whose alert reaches other receivers, with both lists', async () => {
    const { cases } = JSON.parse(files.get(routeTestsPath)!) as RouteTests;
    const wrong = { ...cases[0]!, receivers: ['platform-critical'] };
    expect((await routeTestFailures(dir, alertmanagerPath, [wrong, cases[1]!])).map((failure) => failure.text)).toEqual([
      '{alertname="ApiDown", outage="true", service="api", severity="critical", team="platform"} reaches remediation,stakeholders,platform-critical, expected platform-critical',
    ]);
  });

  it('reports a configuration amtool rejects, a line per problem with its line in the file', async () => {
    const config = [
      'route:',
      '  receiver: team',
      'receivers:',
      '  - name: team',
      '    webhook_configs:',
      '      - url: http://127.0.0.1:9/',
      '        send_resolved: true',
      '        retries: 3',
      '',
    ].join('\n');
    const broken = new Map([[alertmanagerPath, config]]);
    const { dir: brokenDir, cleanup: done } = await written(broken);
    try {
      expect(await amtoolFindings(brokenDir, broken)).toEqual([
        'alertmanager/alertmanager.yml:8: field retries not found in type config.plain [validators/amtool-config]',
      ]);
    } finally {
      await done();
    }
  });

  it('routes a platform without a routing policy to the teams, and elsewhere to a receiver that drops', async () => {
    const plainPlatform = await loadPlatform(fixtureRoot('platform'));
    const plain = compileAlertmanager(plainPlatform, emittedAlertLabels(plainPlatform));
    const { dir: plainDir, cleanup: done } = await written(plain);
    try {
      expect(await amtoolFindings(plainDir, plain)).toEqual([]);
      const result = await runTool(
        'amtool',
        ['config', 'routes', 'test', `--config.file=${alertmanagerPath}`, 'team=nobody', 'severity=critical'],
        plainDir,
      );
      expect(result.output.split('\n')[0]).toBe('unrouted');
    } finally {
      await done();
    }
  });
});

describe('event windows', () => {
  it('become one period per calendar day, from the lead time before the start to the end, in the event zone', () => {
    const periods = eventPeriods({
      name: 'sale',
      start: '2027-03-01T01:00',
      end: '2027-03-03T00:00',
      timeZone: 'Asia/Tokyo',
      leadTime: '2h',
      services: ['api'],
    });
    expect(periods).toEqual([
      {
        times: [{ start_time: '23:00', end_time: '24:00' }],
        days_of_month: ['28'],
        months: ['february'],
        years: ['2027'],
        location: 'Asia/Tokyo',
      },
      { days_of_month: ['1'], months: ['march'], years: ['2027'], location: 'Asia/Tokyo' },
      { days_of_month: ['2'], months: ['march'], years: ['2027'], location: 'Asia/Tokyo' },
    ]);
  });
});
