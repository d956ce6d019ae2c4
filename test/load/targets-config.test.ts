import { describe, expect, it } from 'vitest';
import { defineConfig, type PlatformConfig } from '../../src/index.ts';
import { formatError, type DefinitionError } from '../../src/load/errors.ts';
import { buildPlatform } from '../../src/load/load.ts';

function errors(config: PlatformConfig): string[] {
  const found: DefinitionError[] = [];
  buildPlatform([{ source: 'definitions/platform.ts', exportName: 'config', value: config }], (error) => found.push(error));
  return found.map(formatError).filter((line) => line.includes('targets'));
}

describe('targets of defineConfig', () => {
  it('accept every target with valid names', () => {
    const config = defineConfig({
      runbookBaseUrl: 'https://runbooks.example.com/',
      targets: {
        prometheusOperator: {
          namespace: 'monitoring',
          ruleLabels: { release: 'kube-prometheus-stack', 'example.com/team': 'sre' },
          serviceMonitors: { labels: { release: 'prom' }, serviceLabel: 'app', port: 'metrics', namespaces: ['shop'] },
        },
        alertmanagerSecret: { namespace: 'monitoring', name: 'main' },
        grafanaSidecar: { namespace: 'monitoring', label: 'grafana_dashboard', labelValue: '1' },
        grafanaOperator: { namespace: 'monitoring', instanceSelector: { matchLabels: { dashboards: 'grafana' } } },
        mimir: { namespace: 'monforge' },
      },
    });
    expect(errors(config)).toEqual([]);
  });

  it('name the file, the target and the field of every mistake', () => {
    const config = {
      kind: 'config',
      runbookBaseUrl: 'https://runbooks.example.com/',
      targets: {
        prometheusOperator: {
          namespace: 'Monitoring',
          ruleLabel: { release: 'x' },
          serviceMonitors: { port: 'Metrics Port', namespaces: [], selector: {} },
        },
        alertmanagerSecret: { namespace: 'monitoring' },
        grafanaSidecar: { namespace: 'monitoring', labelValue: 'not valid!' },
        grafanaOperator: { namespace: 'monitoring', instanceSelector: { matchLabels: { 'bad key!': 'x' } } },
        thanos: {},
      },
    } as unknown as PlatformConfig;
    expect(errors(config)).toEqual([
      'definitions/platform.ts: config › targets.prometheusOperator.namespace: must be a DNS-1123 label like "monitoring" [schema/invalid-value]',
      'definitions/platform.ts: config › targets.prometheusOperator.serviceMonitors.port: must be a Service port name like "metrics" [schema/invalid-value]',
      'definitions/platform.ts: config › targets.prometheusOperator.serviceMonitors.namespaces: must name at least one namespace (leave it out for any) [schema/invalid-value]',
      'definitions/platform.ts: config › targets.prometheusOperator.serviceMonitors: unknown field "selector" (fields: labels, namespaces, port, serviceLabel) [schema/unknown-field]',
      'definitions/platform.ts: config › targets.prometheusOperator: unknown field "ruleLabel" (fields: namespace, ruleLabels, serviceMonitors) [schema/unknown-field]',
      'definitions/platform.ts: config › targets.alertmanagerSecret.name: is required (a string) [schema/wrong-type]',
      'definitions/platform.ts: config › targets.grafanaSidecar.labelValue: is not a valid Kubernetes label value [schema/invalid-value]',
      'definitions/platform.ts: config › targets.grafanaOperator.instanceSelector.matchLabels.bad key!: is not a valid Kubernetes label key [schema/invalid-value]',
      'definitions/platform.ts: config › targets: unknown field "thanos" (fields: alertmanagerSecret, grafanaOperator, grafanaSidecar, mimir, openslo, prometheusOperator) [schema/unknown-field]',
    ]);
  });
});
