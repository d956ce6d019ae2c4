import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grafanaDeployment } from '../../src/apply/grafana.ts';
import { defaultHttpLimits } from '../../src/process/http.ts';
import { readGeneratedDir } from '../../src/reader/index.ts';
import { apply, type ApplyRequest } from '../../src/run/apply.ts';
import { edited, generatedProject } from './project.ts';
import { startGrafana } from './stand-ins/grafana.ts';
import { startMimir } from './stand-ins/mimir.ts';

// Grafana and the Mimir ruler against stand-ins that enforce their documented API contracts
// (see test/apply/stand-ins/): there is no Grafana or Mimir server here.

let project: Awaited<ReturnType<typeof generatedProject>>;
let grafana: Awaited<ReturnType<typeof startGrafana>>;
let mimir: Awaited<ReturnType<typeof startMimir>>;
let hang = false;
const token = 'glsa_test-token';

beforeAll(async () => {
  [project, grafana, mimir] = await Promise.all([
    generatedProject({ mimir: { namespace: 'monforge' } }),
    startGrafana(token, { hang: () => hang }),
    startMimir(),
  ]);
  await writeFile(path.join(project.root, 'grafana-token'), `${token}\n`);
});

afterAll(async () => {
  await Promise.all([project?.cleanup(), grafana?.stop(), mimir?.stop()]);
});

async function run(request: Partial<ApplyRequest>): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await apply(project.root, { dryRun: false, timeoutMs: 5000, ...request }, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}
const toGrafana = (options: { prune?: boolean; tokenFile?: string } = {}): Partial<ApplyRequest> => ({
  grafana: { url: grafana.url, tokenFile: path.join(project.root, options.tokenFile ?? 'grafana-token'), prune: options.prune ?? false },
});
const writes = () => grafana.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`);

describe('apply to Grafana (stand-in)', () => {
  it('creates the team folders and upserts every dashboard with a message naming the commit', async () => {
    const { code, output } = await run(toGrafana());
    expect(output).toBe(
      [
        `grafana (${grafana.url}):`,
        '  create    folder monforge-platform',
        '  create    dashboard monforge-overview (grafana/dashboards/overview.json)',
        '  create    dashboard monforge-slos (grafana/dashboards/slos.json)',
        '  create    dashboard svc-api (grafana/dashboards/platform/api.json)',
        'grafana: 4 changes applied and verified',
      ].join('\n'),
    );
    expect(code).toBe(0);
    expect(grafana.folders.get('monforge-platform')?.title).toBe('platform');
    expect(grafana.dashboards.get('svc-api')?.folderUid).toBe('monforge-platform');
    expect(grafana.dashboards.get('monforge-overview')?.folderUid).toBe('');
    expect(grafana.dashboards.get('svc-api')?.messages).toEqual(['monforge apply of a working copy outside git']);
    const post = grafana.requests.find((request) => request.path === '/api/dashboards/db')!;
    expect(JSON.parse(post.body)).toMatchObject({ overwrite: true, dashboard: { id: null } });
  });

  it('changes nothing when nothing changed', async () => {
    grafana.requests.length = 0;
    const { code, output } = await run(toGrafana());
    expect(code).toBe(0);
    expect(output).toContain('grafana: up to date, nothing changed');
    expect(writes()).toEqual([]);
  });

  it('updates a changed dashboard and a folder renamed in the UI', async () => {
    grafana.folders.get('monforge-platform')!.title = 'Renamed by hand';
    await project.write(edited(project.files, 'grafana/dashboards/platform/api.json', '"title": "api"', '"title": "api (new)"'));
    grafana.requests.length = 0;
    const { code, output } = await run(toGrafana());
    expect(output).toContain('  update    folder monforge-platform\n');
    expect(output).toContain('  update    dashboard svc-api (grafana/dashboards/platform/api.json)\n');
    expect(code).toBe(0);
    expect(writes()).toEqual(['PUT /api/folders/monforge-platform', 'POST /api/dashboards/db']);
    expect(grafana.dashboards.get('svc-api')?.dashboard.title).toBe('api (new)');
  });

  it('deletes a dashboard of ours that is no longer generated only with --prune', async () => {
    await project.write(new Map([...project.files].filter(([file]) => file !== 'grafana/dashboards/slos.json')));
    const kept = await run(toGrafana());
    expect(kept.output).toContain('  unchanged dashboard monforge-slos  (no longer generated: --prune deletes it)');
    expect(grafana.dashboards.has('monforge-slos')).toBe(true);
    const pruned = await run(toGrafana({ prune: true }));
    expect(pruned.output).toContain('  delete    dashboard monforge-slos\n');
    expect(pruned.code).toBe(0);
    expect(grafana.dashboards.has('monforge-slos')).toBe(false);
  });

  it('applies a dashboard of defineDashboard in its folder, and finds it there once it is no longer generated', async () => {
    const own = 'grafana/dashboards/kube/nodes.json';
    const withOwn = new Map([
      ...project.files,
      [own, `${JSON.stringify({ uid: 'nodes', title: 'Nodes', tags: ['kubernetes'], panels: [] })}\n`],
    ]);
    await project.write(withOwn);
    const created = await run(toGrafana());
    expect(created.output).toContain('  create    folder monforge-kube\n');
    expect(created.output).toContain('  create    dashboard nodes (grafana/dashboards/kube/nodes.json)\n');
    expect(grafana.dashboards.get('nodes')?.folderUid).toBe('monforge-kube');
    await project.write(new Map([...withOwn].filter(([file]) => file !== own)));
    // Its tags are not ours: its folder tells it is.
    expect((await run(toGrafana())).output).toContain('  unchanged dashboard nodes  (no longer generated: --prune deletes it)');
    expect((await run(toGrafana({ prune: true }))).output).toContain('  delete    dashboard nodes\n');
    expect(grafana.dashboards.has('nodes')).toBe(false);
  });

  it.each([409, 412] as const)('updates a folder created by someone else between the plan and the apply (%i)', async (status) => {
    const tree = await readGeneratedDir(path.join(project.root, 'generated'));
    const other = await startGrafana(token, { existingFolderStatus: status });
    try {
      const deployment = grafanaDeployment(tree, { url: other.url, token, message: 'test', prune: false }, defaultHttpLimits);
      const plan = await deployment.plan();
      expect(plan[0]).toEqual({ object: 'folder monforge-platform', action: 'create' });
      other.folders.set('monforge-platform', { uid: 'monforge-platform', title: 'someone else', version: 3 });
      await deployment.apply(plan.slice(0, 1));
      expect(other.requests.filter((each) => each.method !== 'GET').map((each) => `${each.method} ${each.path}`)).toEqual([
        'POST /api/folders',
        'PUT /api/folders/monforge-platform',
      ]);
      expect(other.folders.get('monforge-platform')).toEqual({ uid: 'monforge-platform', title: 'platform', version: 4 });
    } finally {
      await other.stop();
    }
  });

  it('fails in one line with a bad token, a hanging server and an unreadable token file', async () => {
    await writeFile(path.join(project.root, 'wrong-token'), 'nope\n');
    const denied = await run(toGrafana({ tokenFile: 'wrong-token' }));
    expect(denied.code).toBe(1);
    expect(denied.output).toBe('grafana: Grafana GET /api/folders/monforge-platform: HTTP 401 {"message":"Unauthorized"}');
    hang = true;
    const started = Date.now();
    const slow = await run({ ...toGrafana(), timeoutMs: 500 });
    hang = false;
    expect(slow.output).toBe('grafana: Grafana GET /api/folders/monforge-platform: no answer within 500ms');
    expect(Date.now() - started).toBeLessThan(3000);
    const missing = await run(toGrafana({ tokenFile: 'no-such-file' }));
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/^cannot read .*no-such-file: ENOENT/);
  });
});

describe('apply to a Mimir ruler (stand-in)', () => {
  const toRuler = { ruler: { url: '', tenant: 'team-a' } };
  const request = (): Partial<ApplyRequest> => ({ ruler: { ...toRuler.ruler, url: mimir.url } });

  it('sets every group of the namespace for the tenant, then changes nothing', async () => {
    mimir.groups('team-a', 'monforge').set('retired-group', { name: 'retired-group', rules: [{ record: 'x', expr: '1' }] });
    mimir.groups('team-b', 'monforge').set('theirs', { name: 'theirs', rules: [{ record: 'y', expr: '1' }] });
    const first = await run(request());
    expect(first.output).toContain('  create    group api-outage\n');
    expect(first.output).toContain('  delete    group retired-group\n');
    expect(first.code).toBe(0);
    const names = [...mimir.groups('team-a', 'monforge').keys()];
    expect(names).toContain('api-outage');
    expect(names).not.toContain('retired-group');
    expect([...mimir.groups('team-b', 'monforge').keys()]).toEqual(['theirs']);
    const post = mimir.requests.find((each) => each.method === 'POST')!;
    expect(post.headers['x-scope-orgid']).toBe('team-a');
    expect(post.headers['content-type']).toBe('application/yaml');
    mimir.requests.length = 0;
    const second = await run(request());
    expect(second.output).toContain('ruler: up to date, nothing changed');
    expect(mimir.requests.filter((each) => each.method !== 'GET')).toEqual([]);
  });

  it('updates a changed group only', async () => {
    await project.write(edited(project.files, 'mimir/rules.yaml', 'for: 15m', 'for: 20m'));
    mimir.requests.length = 0;
    const { code, output } = await run(request());
    expect(code).toBe(0);
    expect(output.match(/ update {4}group \S+/g)).toHaveLength(1);
    expect(mimir.requests.filter((each) => each.method === 'POST')).toHaveLength(1);
  });

  it('prints the plan and changes nothing on --dry-run', async () => {
    mimir.groups('team-a', 'monforge').clear();
    mimir.requests.length = 0;
    const { code, output } = await run({ ...request(), dryRun: true });
    expect(code).toBe(0);
    expect(output).toContain('  create    group api-outage');
    expect(mimir.requests.map((each) => each.method)).toEqual(['GET']);
  });
});
