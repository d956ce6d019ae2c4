import { z } from 'zod';
import { platformTag, serviceTag } from '../compile/grafana/tags.ts';
import { dashboardFolderUid, folderUidPrefix } from '../derive/dashboard-links.ts';
import type { DashboardFile, GeneratedTree } from '../reader/types.ts';
import {
  answerOf,
  expectStatus,
  httpRequest,
  joinUrl,
  jsonOf,
  type HttpCall,
  type HttpLimits,
  type HttpResponse,
} from '../process/http.ts';
import { ApplyError, type Change, type Deployment } from './plan.ts';

// Grafana's HTTP API (docs/sources/developers/http_api/folder.md and dashboard.md of
// grafana/grafana): folders by uid (GET/POST /api/folders, PUT /api/folders/:uid), dashboards
// upserted through POST /api/dashboards/db with `overwrite` and a `message`, read back with
// GET /api/dashboards/uid/:uid, ours found through /api/search by the tags the Grafana compiler
// stamps on every dashboard and in the folders it creates (GET /api/folders, `folderUIDs`).

export interface GrafanaTarget {
  readonly url: string;
  /** The service account token, read from `--grafana-token-file`. */
  readonly token: string;
  /** The version message, naming the commit. */
  readonly message: string;
  /** Delete dashboards of ours that are no longer generated. */
  readonly prune: boolean;
}

const folderShape = z.object({ uid: z.string(), title: z.string(), version: z.number().optional() });
const dashboardShape = z.object({
  dashboard: z.record(z.string(), z.unknown()),
  meta: z.object({ folderUid: z.string().optional() }).catchall(z.unknown()),
});
const foldersShape = z.array(z.object({ uid: z.string(), title: z.string().optional() }));
const searchShape = z.array(z.object({ uid: z.string(), title: z.string().optional(), type: z.string().optional() }));

interface Folder {
  readonly uid: string;
  readonly title: string;
}

/** The team folder of a dashboard from its path (`grafana/dashboards/<team>/<name>.json`), or undefined for General. */
const folderOf = (dashboard: DashboardFile): Folder | undefined => {
  const team = /^grafana\/dashboards\/([^/]+)\/[^/]+\.json$/.exec(dashboard.path)?.[1];
  return team === undefined ? undefined : { uid: dashboardFolderUid(team), title: team };
};

/** Grafana sets these itself; they are not part of what we deploy. */
const comparable = (dashboard: Readonly<Record<string, unknown>>): string => {
  const { id: _id, version: _version, ...rest } = dashboard;
  return canonical(rest);
};

export function grafanaDeployment(tree: GeneratedTree, target: GrafanaTarget, limits: HttpLimits): Deployment {
  const call = async (path: string, what: string, init: Omit<HttpCall, 'what'> = {}): Promise<HttpResponse> =>
    httpRequest(
      joinUrl(target.url, path),
      {
        ...init,
        what: `Grafana ${init.method ?? 'GET'} ${what}`,
        headers: {
          authorization: `Bearer ${target.token}`,
          accept: 'application/json',
          ...(init.body && { 'content-type': 'application/json' }),
        },
      },
      limits,
    );
  const folders = new Map(
    tree.dashboards.flatMap((dashboard) => {
      const folder = folderOf(dashboard);
      return folder ? [[folder.uid, folder] as const] : [];
    }),
  );
  const dashboards = new Map(tree.dashboards.map((dashboard) => [dashboard.uid, dashboard]));

  const folderChange = async (folder: Folder): Promise<Change> => {
    const path = `/api/folders/${encodeURIComponent(folder.uid)}`;
    const response = await call(path, path);
    if (response.status === 404) return { object: `folder ${folder.uid}`, action: 'create' };
    const current = answerOf(folderShape, expectStatus(response, `Grafana GET ${path}`, 200), `Grafana GET ${path}`);
    return { object: `folder ${folder.uid}`, action: current.title === folder.title ? 'unchanged' : 'update' };
  };
  const dashboardChange = async (dashboard: DashboardFile): Promise<Change> => {
    const path = `/api/dashboards/uid/${encodeURIComponent(dashboard.uid)}`;
    const response = await call(path, path);
    const object = `dashboard ${dashboard.uid} (${dashboard.path})`;
    if (response.status === 404) return { object, action: 'create' };
    const current = answerOf(dashboardShape, expectStatus(response, `Grafana GET ${path}`, 200), `Grafana GET ${path}`);
    const sameFolder = (current.meta.folderUid ?? '') === (folderOf(dashboard)?.uid ?? '');
    return { object, action: sameFolder && comparable(current.dashboard) === comparable(dashboard.json) ? 'unchanged' : 'update' };
  };
  /**
   * Dashboards of ours that are no longer generated: those carrying one of the tags of the
   * dashboards monforge derives, and any dashboard in a folder of ours (`monforge-<folder>`),
   * where the dashboards of `defineDashboard` live whatever their tags.
   */
  const stale = async (): Promise<string[]> => {
    const uids = new Set<string>();
    const search = async (query: string): Promise<void> => {
      const path = `/api/search?type=dash-db&${query}`;
      const found = answerOf(searchShape, expectStatus(await call(path, path), `Grafana GET ${path}`, 200), `Grafana GET ${path}`);
      for (const each of found) if (!dashboards.has(each.uid)) uids.add(each.uid);
    };
    for (const tag of [serviceTag, platformTag]) await search(`tag=${encodeURIComponent(tag)}`);
    const listed = answerOf(
      foldersShape,
      expectStatus(await call('/api/folders', '/api/folders'), 'Grafana GET /api/folders', 200),
      'Grafana GET /api/folders',
    );
    const ours = listed.filter((folder) => folder.uid.startsWith(folderUidPrefix)).map((folder) => folder.uid);
    if (ours.length > 0) await search(ours.map((uid) => `folderUIDs=${encodeURIComponent(uid)}`).join('&'));
    return [...uids].sort();
  };

  return {
    name: 'grafana',
    where: target.url,
    async plan() {
      const plan: Change[] = [];
      for (const folder of [...folders.values()].sort((a, b) => (a.uid < b.uid ? -1 : 1))) plan.push(await folderChange(folder));
      for (const dashboard of [...dashboards.values()].sort((a, b) => (a.uid < b.uid ? -1 : 1)))
        plan.push(await dashboardChange(dashboard));
      for (const uid of await stale())
        plan.push(
          target.prune
            ? { object: `dashboard ${uid}`, action: 'delete' }
            : { object: `dashboard ${uid}`, action: 'unchanged', detail: 'no longer generated: --prune deletes it' },
        );
      return plan;
    },
    async apply(plan) {
      for (const change of plan) {
        const [kind, uid = ''] = change.object.split(' ');
        if (change.action === 'unchanged') continue;
        if (kind === 'folder') await upsertFolder(folders.get(uid)!, change.action === 'create');
        else if (change.action === 'delete') {
          const path = `/api/dashboards/uid/${encodeURIComponent(uid)}`;
          expectStatus(await call(path, path, { method: 'DELETE' }), `Grafana DELETE ${path}`, 200, 404);
        } else await upsertDashboard(dashboards.get(uid)!);
      }
    },
  };

  async function upsertFolder(folder: Folder, create: boolean): Promise<void> {
    if (create) {
      const response = await call('/api/folders', '/api/folders', {
        method: 'POST',
        body: JSON.stringify({ uid: folder.uid, title: folder.title }),
      });
      // Created by someone else since the plan (409 today, 412 in older Grafana): update it instead.
      if (response.status !== 409 && response.status !== 412) return void expectStatus(response, 'Grafana POST /api/folders', 200);
    }
    const path = `/api/folders/${encodeURIComponent(folder.uid)}`;
    expectStatus(
      await call(path, path, { method: 'PUT', body: JSON.stringify({ title: folder.title, overwrite: true }) }),
      `Grafana PUT ${path}`,
      200,
    );
  }

  async function upsertDashboard(dashboard: DashboardFile): Promise<void> {
    const body = {
      dashboard: { ...dashboard.json, id: null },
      folderUid: folderOf(dashboard)?.uid ?? '',
      overwrite: true,
      message: target.message,
    };
    const response = expectStatus(
      await call('/api/dashboards/db', '/api/dashboards/db', { method: 'POST', body: JSON.stringify(body) }),
      `Grafana POST /api/dashboards/db (${dashboard.uid})`,
      200,
    );
    const saved = jsonOf<{ uid?: string }>(response, 'Grafana POST /api/dashboards/db');
    if (saved.uid !== dashboard.uid) throw new ApplyError(`Grafana saved ${dashboard.path} under uid ${saved.uid}, not ${dashboard.uid}`);
  }
}

/** JSON with object keys sorted, so two equal dashboards compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
