import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRoot, linkMonforge, monforge, type Outcome, repoRoot, runProgram } from '../helpers/index.ts';

// What a team adopting monforge does, through the real bin: `monforge init` in an empty folder,
// its example service removed, `monforge import` of every kube-prometheus rule file and its
// Alertmanager Secret (real configuration another project maintains), then `generate` and
// `check` (tsc, promtool rules and tests, amtool configuration and route tests) pass with no
// edits, and routing and coverage see what was imported. A project of imported definitions
// only: no service of monforge's own beside them (test/compile/alertmanager/route-tree.test.ts
// covers teams' services beside an imported tree).

let project: string;
let imported: Outcome;
const corpus = path.join(fixtureRoot('import'), 'kube-prometheus');

beforeAll(async () => {
  await mkdir(path.join(repoRoot, 'test/.tmp'), { recursive: true });
  project = await mkdtemp(path.join(repoRoot, 'test/.tmp', 'adopt-'));
  expect((await monforge(project, 'init')).code).toBe(0);
  // The example service, and the playbook that remediates its outage.
  for (const example of ['checkout.ts', 'playbooks.ts']) await rm(path.join(project, 'definitions', example));
  await linkMonforge(project);
  const rules = (await readdir(path.join(corpus, 'rules'))).sort().map((file) => path.join(corpus, 'rules', file));
  // Synthesis runs promtool some hundred times: minutes, more on a loaded machine.
  imported = await runProgram(
    process.execPath,
    [path.join(repoRoot, 'bin/monforge.js'), 'import', ...rules, path.join(corpus, 'alertmanager/alertmanager-secret.yaml')],
    {
      cwd: project,
      timeout: 1_500_000,
    },
  );
}, 1_800_000);
afterAll(() => rm(project, { recursive: true, force: true }));

describe('adopting monforge with kube-prometheus', () => {
  it('imports every rule and the routing, proves them equivalent and gives at least 90 % of the alerts a firing case', () => {
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const summary = imported.stdout.trimEnd().split('\n').at(-1)!;
    const [, reached, sets, firing, untested] =
      /^96\/96 rules equivalent · routing (\d+)\/(\d+) label sets · (\d+) alerts with a firing case, (\d+) untested \(listed\)$/.exec(
        summary,
      ) ?? [];
    expect(Number(firing) + Number(untested)).toBe(72);
    expect(Number(firing) / 72).toBeGreaterThanOrEqual(0.9);
    expect(reached).toBe(sets);
    // The one alert no input can fire: its matcher rejects every value.
    expect(imported.stdout).toContain(
      'AlertmanagerClusterFailedToSendAlerts (warning): no series can pass integration!~".*", so it never fires',
    );
    expect(imported.stdout).toContain('severity "none" (Watchdog, InfoInhibitor) is treated as info');
  });

  it('writes definitions that generate and check cleanly', async () => {
    const generate = await monforge(project, 'generate');
    expect(generate.code).toBe(0);
    const check = await runProgram(process.execPath, [path.join(repoRoot, 'bin/monforge.js'), 'check'], { cwd: project, timeout: 800_000 });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    const rules = await readFile(path.join(project, 'generated/prometheus/rules/node-exporter.rules.yml'), 'utf8');
    expect(rules).toContain('- name: node-exporter.rules\n');
  }, 900_000);

  it('routes imported alerts through the imported tree, and coverage lists the untested', async () => {
    expect((await monforge(project, 'routes', 'alertname=Watchdog', 'severity=none')).stdout).toContain('receivers: Watchdog');
    expect((await monforge(project, 'routes', 'alertname=NodeClockSkewDetected', 'severity=critical')).stdout).toContain(
      'receivers: Critical',
    );
    const coverage = await monforge(project, 'coverage');
    expect(coverage.stdout).toContain(
      '- alertmanager-main › alertmanager.rules › AlertmanagerClusterFailedToSendAlerts (warning): no series can pass integration!~".*", so it never fires',
    );
  });
});
