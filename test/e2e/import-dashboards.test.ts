import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRoot, linkMonforge, monforge, type Outcome, repoRoot, runProgram } from '../helpers/index.ts';

// A team bringing its dashboards along, through the real bin: `monforge init` in an empty folder,
// `monforge import` of the ten dashboards kube-prometheus ships (real dashboards another project
// maintains), then `generate` and `check` pass with no edits, and `diff` shows a query changed in
// an imported dashboard's file.

let project: string;
let imported: Outcome;
const dashboards = path.join(fixtureRoot('import'), 'kube-prometheus/dashboards');
const bin = path.join(repoRoot, 'bin/monforge.js');

beforeAll(async () => {
  await mkdir(path.join(repoRoot, 'test/.tmp'), { recursive: true });
  project = await mkdtemp(path.join(repoRoot, 'test/.tmp', 'adopt-dashboards-'));
  expect((await monforge(project, 'init')).code).toBe(0);
  await linkMonforge(project);
  const files = (await readdir(dashboards)).sort().map((file) => path.join(dashboards, file));
  imported = await runProgram(process.execPath, [bin, 'import', '--team', 'platform', ...files], { cwd: project, timeout: 600_000 });
}, 900_000);
afterAll(() => rm(project, { recursive: true, force: true }));

describe('adopting monforge with the kube-prometheus dashboards', () => {
  it('imports every dashboard and proves each equivalent as Grafana reads it', () => {
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout.trimEnd().split('\n').at(-1)).toBe('10/10 dashboards equivalent (149 panels)');
    expect(imported.stdout).toContain('  definitions/imported/node-exporter-nodes.ts\n');
  });

  it('writes definitions that generate and check cleanly, into the team folder', async () => {
    expect((await monforge(project, 'generate')).code).toBe(0);
    const check = await runProgram(process.execPath, [bin, 'check'], { cwd: project, timeout: 800_000 });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    const folder = await readdir(path.join(project, 'generated/grafana/dashboards/platform'));
    expect(folder).toContain('alertmanager-overview.json');
  }, 900_000);

  it('diff shows a query changed in an imported dashboard', async () => {
    const base = path.join(project, 'base');
    await cp(path.join(project, 'generated'), base, { recursive: true });
    const file = path.join(project, 'definitions/imported/alertmanager-overview.ts');
    const source = await readFile(file, 'utf8');
    expect(source).toContain('sum(alertmanager_alerts{namespace=~"$namespace",service=~"$service"}) by (namespace,service,instance)');
    await writeFile(file, source.replace('by (namespace,service,instance)', 'by (namespace,service)'));
    expect((await monforge(project, 'generate')).code).toBe(0);
    const diff = await monforge(project, 'diff', '--base-dir', base, '--head-dir', 'generated', '--format', 'json', '--fail-on', 'never');
    expect(diff.code).toBe(0);
    const changes = (JSON.parse(diff.stdout) as { changes: { object: string; field: string; before: unknown; after: unknown }[] }).changes;
    expect(changes).toEqual([
      expect.objectContaining({
        object: 'alertmanager-overview › panel 2 "Alerts / Alerts"',
        field: 'queries',
        before: { A: 'sum(alertmanager_alerts{namespace=~"$namespace",service=~"$service"}) by (namespace,service,instance)' },
        after: { A: 'sum(alertmanager_alerts{namespace=~"$namespace",service=~"$service"}) by (namespace,service)' },
      }),
    ]);
  }, 300_000);
});
