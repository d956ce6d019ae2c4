import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/processes.ts';
import { monforgeInProcess } from '../helpers/index.ts';
import { generatedProject } from '../apply/project.ts';

let project: Awaited<ReturnType<typeof generatedProject>>;
beforeAll(async () => {
  project = await generatedProject({ mimir: { namespace: 'monforge' } });
});
afterAll(() => project?.cleanup());

describe('monforge apply', () => {
  it('exits 2 when the options name no system or half of one', async () => {
    expect(await monforgeInProcess(project.root, 'apply')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^apply needs at least one of --prometheus/),
    });
    expect(await monforgeInProcess(project.root, 'apply', '--grafana', 'http://127.0.0.1:1')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^--grafana and --grafana-token-file go together/),
    });
    expect(await monforgeInProcess(project.root, 'apply', '--prune', '--ruler', 'http://127.0.0.1:1', '--tenant', 't')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^--prune only applies to --grafana/),
    });
  });

  it('exits 1 with one line when the ruler cannot be reached', async () => {
    const port = await freePort();
    const result = await monforgeInProcess(project.root, 'apply', '--dry-run', '--ruler', `http://127.0.0.1:${port}`, '--tenant', 'team-a');
    expect(result).toMatchObject({ code: 1 });
    expect(result.stdout).toBe(
      `ruler: ruler GET /prometheus/config/v1/rules/monforge: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`,
    );
  });
});
