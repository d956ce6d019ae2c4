import { Ajv, type AnySchemaObject, type CodeOptions, type ErrorObject, type ValidateFunction } from 'ajv';
import type { KubernetesObject } from '../../reader/types.ts';
import { objectSizeProblem } from '../../model/kubernetes.ts';
import { coreSchemas, objectMetaSchema } from './core.ts';
import type { CrdSchema } from './crds.ts';
import { serviceMonitorSchema } from './service-monitor.ts';

// Validates generated objects the way the API server does with strict field validation
// (kubectl's default since 1.27): the CRD's structural schema with unknown fields refused,
// ObjectMeta's rules, and the size limits. CEL rules (`x-kubernetes-validations`) are not
// evaluated: those in the vendored CRDs compare with the previous object or restrict fields
// monforge never sets.

/** Go's RE2 syntax as JavaScript: a leading `(?i)` (after `^`) becomes the `i` flag; other inline flags are refused. */
export const goRegExp: NonNullable<CodeOptions['regExp']> = Object.assign(
  (pattern: string, flags: string) => {
    const insensitive = /^\^?\(\?i\)/.test(pattern);
    const translated = insensitive ? pattern.replace('(?i)', '') : pattern;
    if (/\(\?[a-zA-Z]+\)/.test(translated)) throw new Error(`unsupported inline flags in the Go pattern ${JSON.stringify(pattern)}`);
    return new RegExp(translated, insensitive ? `${flags}i` : flags);
  },
  { code: 'goRegExp' },
);

/** Vendor extensions that only annotate (or that this validator checks another way). */
const annotations = [
  'x-kubernetes-validations',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
];

export class KubernetesValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(crds: readonly CrdSchema[]) {
    const ajv = new Ajv({ allErrors: true, strictTypes: false, strictRequired: false, code: { regExp: goRegExp } });
    ajv.addVocabulary(annotations);
    // Lists keyed like maps must not hold two items with the same keys (the API server refuses them).
    ajv.addKeyword({
      keyword: 'x-kubernetes-list-map-keys',
      type: 'array',
      schemaType: 'array',
      error: { message: (context) => `has two items with the same ${(context.schema as string[]).join(', ')}` },
      validate: (keys: string[], items: unknown[]) => {
        const seen = items.map((item) => JSON.stringify(keys.map((key) => (item as Record<string, unknown>)[key])));
        return new Set(seen).size === seen.length;
      },
    });
    ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i);
    ajv.addFormat('int64', { type: 'number', validate: Number.isSafeInteger });
    ajv.addFormat('int32', { type: 'number', validate: (value) => Number.isInteger(value) && Math.abs(value) < 2 ** 31 });
    for (const { apiVersion, kind, schema } of [...crds, ...coreSchemas, serviceMonitorSchema])
      this.validators.set(`${apiVersion}/${kind}`, ajv.compile(closed(withMetadata(schema)) as AnySchemaObject));
  }

  /** Every problem of one object, as `field: message`; empty when the API server would take it. */
  validate(object: KubernetesObject): string[] {
    const validate = this.validators.get(`${object.apiVersion}/${object.kind}`);
    if (!validate) return [`apiVersion/kind: ${object.apiVersion} ${object.kind} has no known schema`];
    // A bad key shows twice: its pattern (with `propertyName` set) and `propertyNames`; keep the latter.
    const problems = validate(object.json) ? [] : (validate.errors ?? []).filter((error) => error.propertyName === undefined).map(describe);
    const tooLarge = objectSizeProblem(object.kind, object.json);
    return tooLarge ? [...problems, tooLarge] : problems;
  }
}

function withMetadata(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  return {
    ...schema,
    required: [...new Set([...((schema.required as string[]) ?? []), 'apiVersion', 'kind', 'metadata'])],
    properties: { ...properties, metadata: objectMetaSchema },
  };
}

/**
 * Structural schemas prune unknown fields; with strict field validation the API server refuses
 * them instead. So every object schema that lists its properties and neither allows others
 * nor preserves unknown fields gets `additionalProperties: false`.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // Under these keys are maps from names to schemas, not schemas.
    copy[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as object).map(([name, child]) => [name, closed(child)]))
        : closed(value);
  }
  const open = 'additionalProperties' in copy || copy['x-kubernetes-preserve-unknown-fields'] === true;
  if (copy.properties && !open) copy.additionalProperties = false;
  return copy;
}

/** `spec.groups[0].rules[2]: unknown field "alertx"` */
function describe(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment, index) => (/^\d+$/.test(segment) ? `[${segment}]` : `${index === 0 ? '' : '.'}${segment}`))
    .join('');
  const message =
    error.keyword === 'additionalProperties'
      ? `unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`
      : error.keyword === 'propertyNames'
        ? `"${(error.params as { propertyName: string }).propertyName}" is not a valid key`
        : (error.message ?? error.keyword);
  return `${path || '(object)'}: ${message}`;
}
