import { dns1123Label, labelValue, qualifiedName } from '../../model/kubernetes.ts';

// No upstream ServiceMonitor CRD is vendored (vendor/crds/ holds the CRDs this project was
// given), so ServiceMonitors are checked against the fields of prometheus-operator's
// `monitoring.coreos.com/v1` ServiceMonitor that monforge writes, with the CRD's own patterns
// and enums for them (operator v0.84); any other field is refused.

const source = (pattern: RegExp): string => pattern.source;
/** The CRD's pattern for `interval` and `scrapeTimeout`. */
const duration = { type: 'string', pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' };
const closed = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

const relabeling = closed(
  {
    action: { type: 'string', enum: ['replace', 'Replace'] },
    targetLabel: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' },
    replacement: { type: 'string' },
  },
  ['targetLabel'],
);

const endpoint = closed({
  port: { type: 'string', minLength: 1 },
  path: { type: 'string', pattern: '^/' },
  scheme: { type: 'string', enum: ['http', 'https', 'HTTP', 'HTTPS'] },
  interval: duration,
  scrapeTimeout: duration,
  relabelings: { type: 'array', items: relabeling },
});

const matchLabels = {
  type: 'object',
  propertyNames: { pattern: source(qualifiedName) },
  additionalProperties: { type: 'string', pattern: source(labelValue) },
};

export const serviceMonitorSchema = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  schema: closed(
    {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: {},
      spec: closed(
        {
          selector: closed({ matchLabels }, ['matchLabels']),
          namespaceSelector: closed({
            any: { type: 'boolean' },
            matchNames: { type: 'array', minItems: 1, items: { type: 'string', pattern: source(dns1123Label) } },
          }),
          endpoints: { type: 'array', minItems: 1, items: endpoint },
        },
        ['selector', 'endpoints'],
      ),
    },
    ['apiVersion', 'kind', 'metadata', 'spec'],
  ),
};
