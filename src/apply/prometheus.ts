import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { GeneratedTree } from '../generated/types.ts';
import { isAlerting } from '../generated/types.ts';
import { readIfExists, replaceFile, restoreFile } from '../output/durable.ts';
import { answerOf, expectStatus, httpRequest, joinUrl, type HttpLimits } from './http.ts';
import { ApplyError, changes, type Change, type Deployment } from './plan.ts';

/** Lists the rule files monforge wrote into the directory: only these are ever replaced or deleted. */
export const manifestName = '.monforge-managed.json';
const manifestShape = z.object({ managedBy: z.literal('monforge'), files: z.array(z.string().regex(/^[^/\\]+$/)) });

const rulesShape = z.object({
  status: z.literal('success'),
  data: z.object({
    groups: z.array(
      z.object({
        name: z.string(),
        file: z.string(),
        rules: z.array(z.object({ name: z.string(), health: z.string().optional(), lastError: z.string().optional() })),
      }),
    ),
  }),
});
type LoadedGroup = z.infer<typeof rulesShape>['data']['groups'][number];

export interface PrometheusTarget {
  readonly url: string;
  readonly rulesDir: string;
}

/**
 * Rule files into `--prometheus-rules-dir` (the directory Prometheus's `rule_files` reads),
 * then `POST /-/reload` (Prometheus runs with `--web.enable-lifecycle`) and a check through
 * `/api/v1/rules` that every group of ours is loaded, error-free, and none is left over.
 */
export function prometheusDeployment(tree: GeneratedTree, target: PrometheusTarget, limits: HttpLimits): Deployment {
  const desired = new Map(tree.ruleFiles.map((file) => [path.posix.basename(file.path), tree.files.get(file.path)!]));
  const expectedGroups = new Map(
    tree.ruleFiles.flatMap((file) =>
      file.groups.map((group) => [
        group.name,
        { file: path.posix.basename(file.path), rules: group.rules.map((rule) => (isAlerting(rule) ? rule.alert : rule.record)) },
      ]),
    ),
  );
  const manifestFile = path.join(target.rulesDir, manifestName);
  const fileOf = (name: string): string => path.join(target.rulesDir, name);

  const readManifest = async (): Promise<string[]> => {
    const text = await readIfExists(manifestFile);
    if (text === undefined) return [];
    const parsed = manifestShape.safeParse(JSON.parse(text));
    if (!parsed.success) throw new ApplyError(`${manifestFile} is not monforge's manifest: remove it only if no file it lists is yours`);
    return parsed.data.files;
  };
  const writeManifest = (files: Iterable<string>): Promise<void> =>
    replaceFile(manifestFile, `${JSON.stringify({ managedBy: 'monforge', files: [...new Set(files)].sort() }, null, 2)}\n`);

  const loadedGroups = async (): Promise<LoadedGroup[]> => {
    const what = 'Prometheus GET /api/v1/rules';
    const response = expectStatus(await httpRequest(joinUrl(target.url, '/api/v1/rules'), { what }, limits), what, 200);
    return answerOf(rulesShape, response, what).data.groups;
  };

  /** Why the running rules are not the desired ones, or undefined when they are. */
  const runningProblem = async (managed: ReadonlySet<string>): Promise<string | undefined> => {
    const groups = await loadedGroups();
    for (const group of groups) {
      const file = path.basename(group.file);
      const expected = expectedGroups.get(group.name);
      if (!expected && managed.has(file)) return `group ${group.name} (${file}) is still loaded but no longer generated`;
      if (!expected || expected.file !== file) continue;
      const failing = group.rules.find((rule) => rule.lastError);
      if (failing) return `rule ${failing.name} of group ${group.name}: ${failing.lastError}`;
      if (group.rules.map((rule) => rule.name).join('\n') !== expected.rules.join('\n'))
        return `group ${group.name} runs other rules than ${file}`;
    }
    const loaded = new Set(groups.map((group) => `${path.basename(group.file)}\n${group.name}`));
    for (const [name, expected] of expectedGroups)
      if (!loaded.has(`${expected.file}\n${name}`)) return `group ${name} of ${expected.file} is not loaded`;
    return undefined;
  };

  return {
    name: 'prometheus',
    where: `${target.url}, rules in ${target.rulesDir}`,
    async plan() {
      const managed = await readManifest();
      const plan: Change[] = [];
      for (const [name, content] of [...desired].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const current = await readIfExists(fileOf(name));
        if (current !== undefined && !managed.includes(name))
          throw new ApplyError(`${fileOf(name)} exists and monforge does not manage it (not in ${manifestName}): move it away first`);
        plan.push({ object: name, action: current === undefined ? 'create' : current === content ? 'unchanged' : 'update' });
      }
      for (const name of managed.filter((each) => !desired.has(each)).sort())
        if ((await readIfExists(fileOf(name))) !== undefined) plan.push({ object: name, action: 'delete' });
      if (changes(plan).length === 0) {
        const problem = await runningProblem(new Set(managed));
        if (problem) plan.push({ object: 'reload', action: 'update', detail: problem });
      }
      return plan;
    },
    async apply(plan) {
      const managed = await readManifest();
      // Listed first, so a crash part-way leaves every file we wrote deletable by the next apply.
      await writeManifest([...managed, ...desired.keys()]);
      const previous = new Map<string, string | undefined>();
      for (const change of plan) {
        if (change.object === 'reload' || change.action === 'unchanged') continue;
        previous.set(change.object, await readIfExists(fileOf(change.object)));
        await restoreFile(fileOf(change.object), change.action === 'delete' ? undefined : desired.get(change.object));
      }
      const reload = await httpRequest(joinUrl(target.url, '/-/reload'), { what: 'Prometheus POST /-/reload', method: 'POST' }, limits);
      if (reload.status !== 200) {
        // Prometheus keeps running the old rules: put the old files back so a restart does too.
        for (const [name, content] of previous) await restoreFile(fileOf(name), content);
        await writeManifest(managed);
        throw new ApplyError(
          `Prometheus refused the new rules (the old files are back; its log names the rule): ${reload.text.trim().split('\n')[0]}`,
        );
      }
      await writeManifest(desired.keys());
      // The reload is synchronous; the API may lag a moment behind the rule manager.
      let problem: string | undefined;
      for (let attempt = 0; attempt < 20; attempt += 1) {
        problem = await runningProblem(new Set([...managed, ...desired.keys()]));
        if (!problem) return;
        await sleep(250);
      }
      throw new ApplyError(`Prometheus reloaded but does not run the new rules: ${problem}`);
    },
  };
}
