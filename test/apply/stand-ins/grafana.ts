import { send, startStandIn, type Recorded } from './http.ts';

// A stand-in for Grafana's HTTP API: there is no Grafana server to be had here. It enforces the
// documented contract that `monforge apply` relies on, from grafana/grafana's
// docs/sources/developers/http_api/folder.md and dashboard.md:
// - every call carries `Authorization: Bearer <token>` (401 otherwise);
// - GET /api/folders/:uid → the folder, 404 "Folder not found";
// - POST /api/folders {uid, title} → 200; 400 without a title or with a uid over 40 characters
//   or outside [A-Za-z0-9_-]; an existing uid → `existingFolderStatus` (409 "Folder already
//   exists" in current docs, 412 in older Grafana);
// - PUT /api/folders/:uid {title, version | overwrite} → 200; 404; 412 "version-mismatch" when
//   neither the current version nor `overwrite: true` is given;
// - POST /api/dashboards/db {dashboard, folderUid, overwrite, message} → 200 {id, uid, url,
//   status, version, slug}; 400 without a title or for an unknown folderUid; 412
//   "version-mismatch" for an existing uid without `overwrite` or the current version;
// - GET /api/dashboards/uid/:uid → {dashboard, meta: {folderUid, version}}, 404 "Dashboard not found";
// - DELETE /api/dashboards/uid/:uid → 200, 404;
// - GET /api/folders → every folder, [{uid, title}];
// - GET /api/search?type=dash-db&tag=…&folderUIDs=… → dashboards carrying every tag given, in
//   one of the folders given (any folder when none is).
// Request bodies must be JSON (`Content-Type: application/json`).

export interface StoredDashboard {
  readonly dashboard: Record<string, unknown> & { uid: string; title: string; version: number; tags?: string[] };
  readonly folderUid: string;
  readonly messages: string[];
}

export async function startGrafana(token: string, options: { existingFolderStatus?: 409 | 412; hang?: () => boolean } = {}) {
  const folders = new Map<string, { uid: string; title: string; version: number }>();
  const dashboards = new Map<string, StoredDashboard>();
  let nextId = 1;
  const validUid = (uid: unknown): uid is string => typeof uid === 'string' && uid.length <= 40 && /^[A-Za-z0-9_-]+$/.test(uid);

  const server = await startStandIn((request: Recorded, response) => {
    if (options.hang?.()) return; // never answers
    if (request.headers.authorization !== `Bearer ${token}`) return send(response, 401, { message: 'Unauthorized' });
    let body: Record<string, unknown> = {};
    if (request.method === 'POST' || request.method === 'PUT') {
      if (request.headers['content-type'] !== 'application/json') return send(response, 400, { message: 'bad request data' });
      try {
        body = JSON.parse(request.body) as Record<string, unknown>;
      } catch {
        return send(response, 400, { message: 'bad request data' });
      }
    }
    const url = new URL(request.path, 'http://grafana');
    const folderPath = /^\/api\/folders\/([^/]+)$/.exec(url.pathname);
    const dashboardPath = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(url.pathname);
    if (url.pathname === '/api/folders' && request.method === 'GET')
      return send(
        response,
        200,
        [...folders.values()].map((folder) => ({ id: 1, uid: folder.uid, title: folder.title })),
      );
    if (url.pathname === '/api/folders' && request.method === 'POST') {
      if (typeof body.title !== 'string' || body.title === '') return send(response, 400, { message: 'folder title cannot be empty' });
      if (!validUid(body.uid)) return send(response, 400, { message: 'uid contains illegal characters or is too long' });
      if (folders.has(body.uid))
        return send(response, options.existingFolderStatus ?? 409, { message: 'a folder with the same uid already exists' });
      const folder = { uid: body.uid, title: body.title, version: 1 };
      folders.set(folder.uid, folder);
      return send(response, 200, { id: nextId++, ...folder, url: `/dashboards/f/${folder.uid}/` });
    }
    if (folderPath) {
      const folder = folders.get(decodeURIComponent(folderPath[1]!));
      if (!folder) return send(response, 404, { message: 'Folder not found', status: 'not-found' });
      if (request.method === 'GET') return send(response, 200, { id: 1, ...folder });
      if (request.method === 'PUT') {
        if (body.overwrite !== true && body.version !== folder.version)
          return send(response, 412, { message: 'The folder has been changed by someone else', status: 'version-mismatch' });
        folder.title = String(body.title);
        folder.version += 1;
        return send(response, 200, { id: 1, ...folder });
      }
    }
    if (url.pathname === '/api/dashboards/db' && request.method === 'POST') {
      const dashboard = body.dashboard as StoredDashboard['dashboard'] | undefined;
      if (!dashboard || typeof dashboard.title !== 'string' || dashboard.title === '')
        return send(response, 400, { message: 'Dashboard title cannot be empty', status: 'empty-name' });
      if (!validUid(dashboard.uid)) return send(response, 400, { message: 'uid contains illegal characters or is too long' });
      const folderUid = typeof body.folderUid === 'string' ? body.folderUid : '';
      if (folderUid !== '' && !folders.has(folderUid)) return send(response, 400, { message: 'folder not found' });
      const existing = dashboards.get(dashboard.uid);
      if (existing && body.overwrite !== true && dashboard.version !== existing.dashboard.version)
        return send(response, 412, { message: 'The dashboard has been changed by someone else', status: 'version-mismatch' });
      const version = (existing?.dashboard.version ?? 0) + 1;
      const stored: StoredDashboard = {
        dashboard: { ...dashboard, id: existing?.dashboard.id ?? nextId++, version },
        folderUid,
        messages: [...(existing?.messages ?? []), String(body.message ?? '')],
      };
      dashboards.set(dashboard.uid, stored);
      return send(response, 200, {
        id: stored.dashboard.id,
        uid: dashboard.uid,
        url: `/d/${dashboard.uid}/x`,
        status: 'success',
        version,
        slug: 'x',
      });
    }
    if (dashboardPath) {
      const uid = decodeURIComponent(dashboardPath[1]!);
      const stored = dashboards.get(uid);
      if (!stored) return send(response, 404, { message: 'Dashboard not found' });
      if (request.method === 'GET')
        return send(response, 200, {
          dashboard: stored.dashboard,
          meta: { folderUid: stored.folderUid, version: stored.dashboard.version },
        });
      if (request.method === 'DELETE') {
        dashboards.delete(uid);
        return send(response, 200, { title: stored.dashboard.title, message: 'Dashboard deleted', id: stored.dashboard.id });
      }
    }
    if (url.pathname === '/api/search' && request.method === 'GET') {
      const tags = url.searchParams.getAll('tag');
      const inFolders = url.searchParams.getAll('folderUIDs');
      const found = [...dashboards.values()].filter(
        (each) => tags.every((tag) => each.dashboard.tags?.includes(tag)) && (inFolders.length === 0 || inFolders.includes(each.folderUid)),
      );
      return send(
        response,
        200,
        found.map((each) => ({ uid: each.dashboard.uid, title: each.dashboard.title, type: 'dash-db', tags: each.dashboard.tags ?? [] })),
      );
    }
    return send(response, 404, { message: 'Not found' });
  });
  return { ...server, folders, dashboards };
}
