import type { z } from 'zod';
import { invalidValue, unknownField, wrongType } from '../findings/catalog/schema.ts';
import type { Said } from '../findings/kind.ts';

// zod's issues in our words: `unknown field "owner" (fields: name, start, end, …)` rather than
// `Unrecognized key: "owner"`, `must be a number, not a string` rather than `Invalid input`.

type Issue = z.core.$ZodIssue;

/** A translated issue, at its full path (a union's closest branch adds its own path). */
export interface SchemaProblem {
  readonly path: readonly PropertyKey[];
  readonly said: Said;
}

/** zod's own wording; a schema's own message (`.refine(check, 'must be …')`) is ours already. */
const zodWording = /^(Invalid|Too (small|big)|Unrecognized key)/;

export function schemaProblem(schema: z.ZodType, root: unknown, issue: Issue): SchemaProblem {
  const path = issue.path;
  if (issue.code !== 'custom' && issue.code !== 'invalid_union' && !zodWording.test(issue.message))
    return { path, said: invalidValue(issue.message) };
  switch (issue.code) {
    case 'unrecognized_keys':
      return { path, said: unknownField(issue.keys, fieldsAt(schema, path)) };
    case 'invalid_type':
      return { path, said: wrongType(article(issue.expected), typeName(valueAt(root, path))) };
    case 'invalid_value':
      return {
        path,
        said: invalidValue(
          `${JSON.stringify(valueAt(root, path))} is not ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`}`,
        ),
      };
    case 'too_small':
    case 'too_big':
      return { path, said: invalidValue(sizeProblem(issue)) };
    case 'invalid_format':
      return {
        path,
        said: invalidValue(`${JSON.stringify(valueAt(root, path))} is not a valid ${issue.format === 'regex' ? 'value' : issue.format}`),
      };
    case 'invalid_union': {
      // The branch that failed least is the one the author meant.
      const branch = [...issue.errors].sort((a, b) => a.length - b.length)[0];
      const first = branch?.[0];
      if (!first) return { path, said: invalidValue('is not one of the accepted forms') };
      const inner = schemaProblem(schema, root, { ...first, path: [...path, ...first.path] } as Issue);
      return inner;
    }
    case 'custom': {
      // A check run inside a schema names its finding kind: `params: { finding: said.id }`.
      const id = (issue.params as { finding?: unknown } | undefined)?.finding;
      return { path, said: typeof id === 'string' ? { id, text: issue.message } : invalidValue(issue.message) };
    }
    default:
      return { path, said: invalidValue(issue.message) };
  }
}

const article = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function typeName(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return article(typeof value);
}

function sizeProblem(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const small = issue.code === 'too_small';
  switch (issue.origin) {
    case 'array':
    case 'set':
      return small ? `needs at least ${bound} item${bound === 1 ? '' : 's'}` : `takes at most ${bound} item${bound === 1 ? '' : 's'}`;
    case 'string':
      return small
        ? bound === 1
          ? 'must not be empty'
          : `must be at least ${bound} characters long`
        : `must be at most ${bound} characters long`;
    default:
      return `must be ${small ? (issue.inclusive ? 'at least' : 'above') : issue.inclusive ? 'at most' : 'below'} ${bound}`;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  return node;
}

/** The field names an object schema accepts at `path` (every branch's, for a union), sorted. */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const fields = new Set<string>();
  const visit = (node: unknown, rest: readonly PropertyKey[]): void => {
    const def = (node as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
    if (!def) return;
    switch (def.type) {
      case 'object': {
        const shape = def.shape as Record<string, unknown>;
        if (rest.length === 0) for (const key of Object.keys(shape)) fields.add(key);
        else if (typeof rest[0] === 'string' && rest[0] in shape) visit(shape[rest[0]], rest.slice(1));
        return;
      }
      case 'array':
        if (typeof rest[0] === 'number') visit(def.element, rest.slice(1));
        return;
      case 'record':
        if (rest.length > 0) visit(def.valueType, rest.slice(1));
        return;
      case 'union':
        for (const option of def.options as unknown[]) visit(option, rest);
        return;
      case 'intersection':
        visit(def.left, rest);
        visit(def.right, rest);
        return;
      case 'pipe':
        visit(def.in, rest);
        return;
      case 'lazy':
        visit((def.getter as () => unknown)(), rest);
        return;
      default:
        if ('innerType' in def) visit(def.innerType, rest);
    }
  };
  visit(schema, path);
  return [...fields].sort();
}
