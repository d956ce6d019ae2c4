import { FileProblems, parseRulerNamespace } from '../reader/index.ts';
import type { GeneratedTree, Rule, RuleGroup } from '../reader/types.ts';
import { durationSeconds } from '../model/duration.ts';
import { toYaml } from '../output/serialize.ts';
import { expectStatus, httpRequest, joinUrl, type HttpCall, type HttpLimits } from '../process/http.ts';
import { ApplyError, type Change, type Deployment } from './plan.ts';

// The Grafana Mimir / Cortex ruler configuration API (docs/sources/mimir/references/http-api/
// index.md of grafana/mimir, "Ruler"): `GET <prefix>/config/v1/rules/{namespace}` lists a
// namespace's groups (404 when it has none), `POST <prefix>/config/v1/rules/{namespace}` sets one
// group (a YAML body, 202), `DELETE <prefix>/config/v1/rules/{namespace}/{group}` removes one
// (202); the tenant goes in `X-Scope-OrgID`.

export interface RulerTarget {
  /** The ruler's (or Mimir's) base URL; the API is under `/prometheus/config/v1/rules`. */
  readonly url: string;
  readonly tenant: string;
  /** A bearer token, read from `--ruler-token-file`, for a gateway in front of the ruler. */
  readonly token?: string;
}

export function rulerDeployment(tree: GeneratedTree, target: RulerTarget, limits: HttpLimits): Deployment {
  const file = tree.mimir;
  if (!file) throw new ApplyError(`${tree.label} has no mimir/rules.yaml: enable the mimir target in defineConfig({ targets })`);
  const base = `/prometheus/config/v1/rules/${encodeURIComponent(file.namespace)}`;
  const call = (path: string, init: Omit<HttpCall, 'what'> = {}) =>
    httpRequest(
      joinUrl(target.url, path),
      {
        ...init,
        what: `ruler ${init.method ?? 'GET'} ${path}`,
        headers: { 'x-scope-orgid': target.tenant, ...(target.token && { authorization: `Bearer ${target.token}` }), ...init.headers },
      },
      limits,
    );
  const desired = new Map(file.groups.map((group) => [group.name, group]));

  const running = async (): Promise<Map<string, RuleGroup>> => {
    const response = await call(base);
    if (response.status === 404) return new Map();
    expectStatus(response, `ruler GET ${base}`, 200);
    const problems = new FileProblems(`ruler GET ${base}`);
    const groups = parseRulerNamespace(file.namespace, response.text, problems);
    if (problems.list.length > 0) throw new ApplyError(problems.list[0]);
    return new Map(groups.map((group) => [group.name, group]));
  };

  return {
    name: 'ruler',
    where: `${target.url}, tenant ${target.tenant}, namespace ${file.namespace}`,
    async plan() {
      const current = await running();
      const plan: Change[] = [...desired.values()].map((group) => {
        const now = current.get(group.name);
        return { object: `group ${group.name}`, action: !now ? 'create' : comparable(now) === comparable(group) ? 'unchanged' : 'update' };
      });
      for (const name of [...current.keys()].filter((each) => !desired.has(each)).sort())
        plan.push({ object: `group ${name}`, action: 'delete' });
      return plan;
    },
    async apply(plan) {
      for (const change of plan) {
        const name = change.object.slice('group '.length);
        if (change.action === 'delete') {
          const path = `${base}/${encodeURIComponent(name)}`;
          expectStatus(await call(path, { method: 'DELETE' }), `ruler DELETE ${path}`, 202, 404);
        } else if (change.action !== 'unchanged') {
          const body = toYaml(desired.get(name));
          expectStatus(
            await call(base, { method: 'POST', body, headers: { 'content-type': 'application/yaml' } }),
            `ruler POST ${base} (${name})`,
            202,
          );
        }
      }
    },
  };
}

/** A group as the ruler stores it: durations in seconds, empty label and annotation maps dropped. */
function comparable(group: RuleGroup): string {
  const rule = (each: Rule): unknown => {
    const { labels, annotations = {}, for: pending, ...rest } = each as Rule & { annotations?: Record<string, string>; for?: string };
    return {
      ...rest,
      ...(pending !== undefined && { for: durationSeconds(pending) }),
      ...(Object.keys(labels).length > 0 && { labels }),
      ...(Object.keys(annotations).length > 0 && { annotations }),
    };
  };
  return JSON.stringify({ name: group.name, interval: durationSeconds(group.interval ?? '0s') ?? 0, rules: group.rules.map(rule) });
}
