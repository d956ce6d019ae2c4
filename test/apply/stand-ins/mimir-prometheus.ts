import { send, startStandIn } from './http.ts';

// A stand-in for Grafana Mimir's Prometheus HTTP API: no Mimir here. It answers from a real
// Prometheus (`upstream`) and enforces the contract of grafana/mimir's
// docs/sources/mimir/references/http-api/index.md ("Querier / Query-frontend"):
// - every call names its tenant in `X-Scope-OrgID` (401 "no org id" otherwise);
// - the API sits under the `/prometheus` prefix (404 elsewhere);
// - query, query_range, series and labels take GET or POST; label values and metadata GET only (405);
// - there is no targets API (Mimir scrapes nothing: 404);
// - the rules API lists the ruler's groups: this tenant has none;
// - build information names the application (`"application":"Grafana Mimir"`);
// - query answers carry no `stats`: Mimir reports samples processed in a response header instead.

const getOnly = /^\/api\/v1\/(label\/[^/]+\/values|metadata)$/;
const proxied = /^\/api\/v1\/(query|query_range|series|labels|label\/[^/]+\/values|metadata)$/;

export async function startMimirPrometheusApi(upstream: string) {
  return startStandIn((request, response) => {
    const tenant = request.headers['x-scope-orgid'];
    if (typeof tenant !== 'string' || tenant === '') return send(response, 401, 'no org id\n', 'text/plain');
    const url = new URL(request.path, 'http://stand-in');
    if (!url.pathname.startsWith('/prometheus/')) return send(response, 404, '404 page not found\n', 'text/plain');
    const endpoint = url.pathname.slice('/prometheus'.length);
    if (endpoint === '/api/v1/status/buildinfo')
      return send(response, 200, { status: 'success', data: { application: 'Grafana Mimir', version: '2.9.0', revision: 'stand-in' } });
    if (endpoint === '/api/v1/rules') return send(response, 200, { status: 'success', data: { groups: [] } });
    if (!proxied.test(endpoint)) return send(response, 404, '404 page not found\n', 'text/plain');
    if (getOnly.test(endpoint) && request.method !== 'GET') return send(response, 405, 'method not allowed\n', 'text/plain');
    void (async () => {
      const forwarded = await fetch(`${upstream}${endpoint}${url.search}`, {
        method: request.method,
        ...(request.method === 'POST' && { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: request.body }),
      });
      const body = (await forwarded.json()) as { data?: { stats?: unknown } };
      if (body.data && typeof body.data === 'object' && !Array.isArray(body.data)) delete body.data.stats;
      send(response, forwarded.status, body);
    })().catch((error: unknown) => send(response, 502, `${String(error)}\n`, 'text/plain'));
  });
}
