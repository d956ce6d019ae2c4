import { parse, stringify } from 'yaml';
import { send, startStandIn } from './http.ts';

// A stand-in for the Grafana Mimir / Cortex ruler configuration API: no Mimir here. It enforces
// the contract of grafana/mimir's docs/sources/mimir/references/http-api/index.md ("Ruler"):
// - every call names its tenant in `X-Scope-OrgID` (401 "no org id" otherwise);
// - GET /prometheus/config/v1/rules/{namespace} → YAML `{namespace: [groups]}`, 404 when the
//   namespace has no groups;
// - POST /prometheus/config/v1/rules/{namespace} with `Content-Type: application/yaml` and exactly
//   one rule group (name, rules) as the body → 202; 400 otherwise;
// - DELETE /prometheus/config/v1/rules/{namespace}/{groupName} → 202; 404 for an unknown group.
// Groups are kept per tenant and namespace, in the order they were first set.

type Group = { name: string; rules: unknown[] } & Record<string, unknown>;

export async function startMimir() {
  const tenants = new Map<string, Map<string, Map<string, Group>>>();
  const namespaceOf = (tenant: string, namespace: string): Map<string, Group> => {
    const byNamespace = tenants.get(tenant) ?? new Map<string, Map<string, Group>>();
    tenants.set(tenant, byNamespace);
    const groups = byNamespace.get(namespace) ?? new Map<string, Group>();
    byNamespace.set(namespace, groups);
    return groups;
  };
  const server = await startStandIn((request, response) => {
    const tenant = request.headers['x-scope-orgid'];
    if (typeof tenant !== 'string' || tenant === '') return send(response, 401, 'no org id\n', 'text/plain');
    const match = /^\/prometheus\/config\/v1\/rules\/([^/]+)(?:\/([^/]+))?$/.exec(request.path);
    if (!match) return send(response, 404, '404 page not found\n', 'text/plain');
    const namespace = decodeURIComponent(match[1]!);
    const groups = namespaceOf(tenant, namespace);
    if (match[2] === undefined && request.method === 'GET') {
      if (groups.size === 0) return send(response, 404, 'no rule groups found\n', 'text/plain');
      return send(response, 200, stringify({ [namespace]: [...groups.values()] }), 'application/yaml');
    }
    if (match[2] === undefined && request.method === 'POST') {
      if (request.headers['content-type'] !== 'application/yaml') return send(response, 400, 'unsupported content type\n', 'text/plain');
      let group: Group;
      try {
        group = parse(request.body) as Group;
      } catch {
        return send(response, 400, 'unable to decode rule group\n', 'text/plain');
      }
      if (!group || typeof group.name !== 'string' || !Array.isArray(group.rules) || Array.isArray(group))
        return send(response, 400, 'invalid rules config: one rule group with a name and rules\n', 'text/plain');
      groups.set(group.name, group);
      return send(response, 202, '{"status":"success","data":null}');
    }
    if (match[2] !== undefined && request.method === 'DELETE') {
      if (!groups.delete(decodeURIComponent(match[2]))) return send(response, 404, 'group does not exist\n', 'text/plain');
      return send(response, 202, '{"status":"success","data":null}');
    }
    return send(response, 405, 'method not allowed\n', 'text/plain');
  });
  return { ...server, groups: (tenant: string, namespace: string) => namespaceOf(tenant, namespace) };
}
