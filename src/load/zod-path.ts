import type { z } from 'zod';

// Collections whose items are named in messages by their `name` (`slo "latency"`), not by index.
const namedCollections: Record<string, string> = {
  slos: 'slo',
  alerts: 'alert',
  actions: 'action',
  rollback: 'action',
  onResolved: 'action',
  events: 'event',
  rules: 'rule',
};

/** Turns a zod issue path into the named path users read: `slo "latency" › threshold`. */
export function namedPath(root: unknown, path: readonly PropertyKey[]): string[] {
  const named: string[] = [];
  let field: string[] = [];
  let node: unknown = root;
  for (let index = 0; index < path.length; index += 1) {
    const key = path[index]!;
    const collection = typeof key === 'string' ? namedCollections[key] : undefined;
    const next = path[index + 1];
    if (collection && typeof next === 'number') {
      const item = (node as Record<string, unknown[]>)[key as string]?.[next] as { name?: unknown } | undefined;
      if (field.length > 0) named.push(field.join('.'));
      field = [];
      named.push(typeof item?.name === 'string' ? `${collection} "${item.name}"` : `${collection} #${next + 1}`);
      node = item;
      index += 1;
      continue;
    }
    field.push(String(key));
    node = node === null || typeof node !== 'object' ? undefined : (node as Record<PropertyKey, unknown>)[key];
  }
  if (field.length > 0) named.push(field.join('.'));
  return named;
}

export function issueMessages(root: unknown, issues: readonly z.core.$ZodIssue[]): { path: string[]; message: string }[] {
  return issues.map((issue) => ({ path: namedPath(root, issue.path), message: issue.message }));
}
