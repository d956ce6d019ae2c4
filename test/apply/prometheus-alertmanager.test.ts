import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHttpLimits } from '../../src/process/http.ts';
import { manifestName, prometheusDeployment } from '../../src/apply/prometheus.ts';
import { readGeneratedDir } from '../../src/reader/index.ts';
import { apply, type ApplyRequest } from '../../src/run/apply.ts';
import { startAlertmanager } from '../helpers/alertmanager-server.ts';
import { edited, generatedProject } from './project.ts';
import { startPrometheus } from './servers.ts';

// `monforge apply` against a real Prometheus (--web.enable-lifecycle) and a real Alertmanager:
// first apply, a no-op apply, a change, and configurations they refuse.

let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
let alertmanager: Awaited<ReturnType<typeof startAlertmanager>>;
let project: Awaited<ReturnType<typeof generatedProject>>;
let request: ApplyRequest;

beforeAll(async () => {
  [prometheus, alertmanager, project] = await Promise.all([
    startPrometheus(),
    startAlertmanager('route:\n  receiver: initial\nreceivers:\n  - name: initial\n'),
    generatedProject(),
  ]);
  request = {
    dryRun: false,
    timeoutMs: 10_000,
    prometheus: { url: prometheus.url, rulesDir: prometheus.rulesDir },
    alertmanager: { url: alertmanager.url, configFile: alertmanager.configFile },
  };
});

afterAll(async () => {
  await Promise.all([prometheus?.stop(), alertmanager?.stop(), project?.cleanup()]);
});

async function run(options: Partial<ApplyRequest> = {}): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await apply(project.root, { ...request, ...options }, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

const loadedGroups = async (): Promise<string[]> => {
  const body = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: { groups: { name: string; file: string }[] } };
  return body.data.groups.map((group) => `${path.basename(group.file)}:${group.name}`).sort();
};
const rootReceiver = (): string => /^route:\n {2}receiver: (\S+)/m.exec(project.files.get('alertmanager/alertmanager.yml')!)![1]!;
const runningReceiver = async (): Promise<string> => {
  const body = (await (await fetch(`${alertmanager.url}/api/v2/status`)).json()) as { config: { original: string } };
  return /^route:\n {2}receiver: (\S+)/m.exec(body.config.original)?.[1] ?? '';
};

describe('apply to Prometheus and Alertmanager', () => {
  it('prints the plan on --dry-run and changes nothing', async () => {
    const { code, output } = await run({ dryRun: true });
    expect(code).toBe(0);
    expect(output).toContain(
      `prometheus (${prometheus.url}, rules in ${prometheus.rulesDir}):\n  create    api.rules.yml\n  create    platform-health.rules.yml`,
    );
    expect(output).toContain(`  update    ${alertmanager.configFile}`);
    expect(await readdir(prometheus.rulesDir)).toEqual([]);
    expect(await runningReceiver()).toBe('initial');
  });

  it('deploys, reloads and verifies on the first apply', async () => {
    const { code, output } = await run();
    expect(output).toContain('prometheus: 2 changes applied and verified');
    expect(output).toContain('alertmanager: 1 change applied and verified');
    expect(code).toBe(0);
    expect((await readdir(prometheus.rulesDir)).sort()).toEqual([manifestName, 'api.rules.yml', 'platform-health.rules.yml']);
    expect(await readFile(path.join(prometheus.rulesDir, 'api.rules.yml'), 'utf8')).toBe(
      project.files.get('prometheus/rules/api.rules.yml'),
    );
    expect(await loadedGroups()).toContain('api.rules.yml:api-outage');
    expect(await runningReceiver()).toBe(rootReceiver());
  });

  it('changes nothing on a second apply with nothing new', async () => {
    const before = await readFile(path.join(prometheus.rulesDir, 'api.rules.yml'));
    const { code, output } = await run();
    expect(code).toBe(0);
    expect(output).toContain('prometheus: up to date, nothing changed');
    expect(output).toContain('alertmanager: up to date, nothing changed');
    expect(output).not.toMatch(/ (create|update|delete) /);
    expect(await readFile(path.join(prometheus.rulesDir, 'api.rules.yml'))).toEqual(before);
  });

  it('deploys a change: an updated file, a removed one, a new Alertmanager timer; files not ours stay', async () => {
    await writeFile(path.join(prometheus.rulesDir, 'theirs.yml'), 'groups: []\n');
    const changed = edited(project.files, 'alertmanager/alertmanager.yml', 'repeat_interval: 4h', 'repeat_interval: 3h');
    const withoutHealth = new Map(
      [...edited(changed, 'prometheus/rules/api.rules.yml', 'for: 15m', 'for: 20m')].filter(([file]) => !file.includes('platform-health')),
    );
    await project.write(withoutHealth);
    const { code, output } = await run();
    expect(output).toContain('  update    api.rules.yml\n  delete    platform-health.rules.yml');
    expect(output).toContain(`  update    ${alertmanager.configFile}`);
    expect(code).toBe(0);
    expect((await readdir(prometheus.rulesDir)).sort()).toEqual([manifestName, 'api.rules.yml', 'theirs.yml']);
    expect((await loadedGroups()).some((group) => group.startsWith('platform-health'))).toBe(false);
    expect(await readFile(alertmanager.configFile, 'utf8')).toContain('repeat_interval: 3h');
  });

  it('detects a configuration Alertmanager refuses, restores the old file and exits 1', async () => {
    const good = await readFile(alertmanager.configFile, 'utf8');
    await project.write(
      edited(project.files, 'alertmanager/alertmanager.yml', /^route:\n {2}receiver: \S+/m, 'route:\n  receiver: nobody'),
    );
    const { code, output } = await run({ prometheus: undefined });
    expect(code).toBe(1);
    expect(output).toMatch(
      /alertmanager: Alertmanager kept its previous configuration \(reload refused: failed to reload config: .*nobody.*\); .* is restored/,
    );
    expect(await readFile(alertmanager.configFile, 'utf8')).toBe(good);
    expect(await runningReceiver()).toBe(rootReceiver());
  });

  it('detects rules Prometheus refuses, restores the old files and exits 1', async () => {
    const good = await readFile(path.join(prometheus.rulesDir, 'api.rules.yml'), 'utf8');
    await project.write(edited(project.files, 'prometheus/rules/api.rules.yml', 'for: 15m', 'for: fifteen'));
    const { code, output } = await run({ alertmanager: undefined });
    expect(code).toBe(1);
    expect(output).toMatch(
      /prometheus: Prometheus refused the new rules \(the old files are back; its log names the rule\): failed to reload config/,
    );
    expect(await readFile(path.join(prometheus.rulesDir, 'api.rules.yml'), 'utf8')).toBe(good);
  });

  it('refuses to overwrite a rule file it does not manage', async () => {
    await project.write(new Map([...project.files, ['prometheus/rules/theirs.yml', 'groups: []\n']]));
    const { code, output } = await run({ alertmanager: undefined, dryRun: true });
    expect(code).toBe(1);
    expect(output).toContain(`prometheus: ${path.join(prometheus.rulesDir, 'theirs.yml')} exists and monforge does not manage it`);
  });

  it('adopts a rule file of ours copied there by hand (it carries the generated header)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'monforge-rules-'));
    try {
      await writeFile(path.join(dir, 'api.rules.yml'), project.files.get('prometheus/rules/api.rules.yml')!);
      const tree = await readGeneratedDir(path.join(project.root, 'generated'));
      const plan = await prometheusDeployment(tree, { url: 'http://127.0.0.1:1', rulesDir: dir }, defaultHttpLimits).plan();
      expect(plan.find((change) => change.object === 'api.rules.yml')?.action).toBe('unchanged');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
