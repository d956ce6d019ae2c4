import { dataKey, dns1123Label, dns1123Subdomain, labelValue, qualifiedName } from '../../model/kubernetes.ts';

// JSON schemas for what the API server checks of every object's metadata (ObjectMeta) and the
// essentials of the core objects monforge writes (Secret, ConfigMap). The full core schemas are
// not vendored: these are the fields the generated objects use, and anything else is refused.

const source = (pattern: RegExp): string => pattern.source;

export const objectMetaSchema = {
  type: 'object',
  required: ['name', 'namespace'],
  properties: {
    name: { type: 'string', maxLength: 253, pattern: source(dns1123Subdomain) },
    namespace: { type: 'string', maxLength: 63, pattern: source(dns1123Label) },
    labels: {
      type: 'object',
      propertyNames: { pattern: source(qualifiedName) },
      additionalProperties: { type: 'string', pattern: source(labelValue) },
    },
    annotations: { type: 'object', propertyNames: { pattern: source(qualifiedName) }, additionalProperties: { type: 'string' } },
  },
  additionalProperties: false,
};

const data = { type: 'object', propertyNames: { pattern: source(dataKey) }, additionalProperties: { type: 'string' } };

/** A core object: apiVersion, kind, metadata and the given fields, nothing else. */
const coreObject = (kind: string, fields: Readonly<Record<string, unknown>>) => ({
  apiVersion: 'v1',
  kind,
  schema: {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata'],
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: {}, immutable: { type: 'boolean' }, ...fields },
    additionalProperties: false,
  },
});
const binary = { ...data, additionalProperties: { type: 'string', format: 'byte' } };

export const coreSchemas = [
  coreObject('Secret', { type: { type: 'string', minLength: 1 }, data: binary, stringData: data }),
  coreObject('ConfigMap', { data, binaryData: binary }),
];
