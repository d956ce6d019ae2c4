import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedRuleFindings } from '../../../src/check/embedded-rules.ts';
import { kubernetesFindings, kubernetesValidator } from '../../../src/check/kubernetes/index.ts';
import { goRegExp, type KubernetesValidator } from '../../../src/check/kubernetes/validator.ts';
import { compile } from '../../../src/compile/index.ts';
import { parseGeneratedTree } from '../../../src/reader/index.ts';
import type { GeneratedTree, KubernetesObject } from '../../../src/reader/types.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import { fixtureRoot } from '../../helpers/index.ts';

let tree: GeneratedTree;
let validator: KubernetesValidator;

beforeAll(async () => {
  const platform = await loadPlatform(fixtureRoot('platform'));
  const targets = {
    prometheusOperator: { namespace: 'monitoring', ruleLabels: { release: 'kube-prometheus-stack' }, serviceMonitors: {} },
    alertmanagerSecret: { namespace: 'monitoring', name: 'main' },
    grafanaSidecar: { namespace: 'grafana' },
    grafanaOperator: { namespace: 'grafana', instanceSelector: { matchLabels: { dashboards: 'grafana' } } },
    mimir: { namespace: 'slo' },
  };
  tree = parseGeneratedTree(compile({ ...platform, config: { ...platform.config, targets } }), 'compiled');
  validator = await kubernetesValidator();
});

// biome-ignore lint/suspicious/noExplicitAny: the tests edit arbitrary object JSON by path
type Json = any;

/** A copy of the generated object of `kind` (the first one), changed by `edit`. */
function objectOf(kind: string, edit: (json: Json) => void = () => {}): KubernetesObject {
  const object = (tree.kubernetes ?? []).flatMap((file) => file.objects).find((each) => each.kind === kind)!;
  const json: Json = structuredClone(object.json);
  edit(json);
  return { ...object, apiVersion: json.apiVersion, kind: json.kind, json };
}

describe('Kubernetes objects against the upstream schemas', () => {
  it('find nothing wrong with what the compiler generates', async () => {
    expect(
      (tree.kubernetes ?? [])
        .flatMap((file) => file.objects)
        .map((object) => object.kind)
        .sort(),
    ).toEqual([
      'ConfigMap',
      'ConfigMap',
      'ConfigMap',
      'GrafanaDashboard',
      'GrafanaDashboard',
      'GrafanaDashboard',
      'GrafanaFolder',
      'PrometheusRule',
      'PrometheusRule',
      'Secret',
      'ServiceMonitor',
    ]);
    expect(await kubernetesFindings(tree)).toEqual([]);
  });

  it('are one line each, naming the file, the object and the field', async () => {
    const broken = objectOf('PrometheusRule', (json) => {
      json.spec.groups[0].rules[0].alertx = 'typo';
    });
    const file = tree.kubernetes!.find((each) => each.objects.some((object) => object.kind === 'PrometheusRule'))!;
    expect(await kubernetesFindings({ kubernetes: [{ ...file, objects: [broken] }] })).toEqual([
      'kubernetes/prometheusrules/api.yaml: PrometheusRule monforge-api: spec.groups[0].rules[0]: unknown field "alertx" [validators/kubernetes-schema]',
    ]);
  });

  it('refuse unknown fields, bad values and missing required fields of CRD objects', () => {
    const rule = objectOf('PrometheusRule', (json) => {
      json.spec.groups[0].rules[0].alertx = 'typo';
      json.spec.groups[1].interval = '5 minutes';
      json.spec.groups[2].partial_response_strategy = 'sometimes';
      json.spec.groups[3].name = json.spec.groups[0].name;
    });
    expect(validator.validate(rule)).toEqual([
      'spec.groups[0].rules[0]: unknown field "alertx"',
      'spec.groups[1].interval: must match pattern "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"',
      'spec.groups[2].partial_response_strategy: must match pattern "^(?i)(abort|warn)?$"',
      'spec.groups: has two items with the same name',
    ]);
    const dashboard = objectOf('GrafanaDashboard', (json) => {
      delete json.spec.instanceSelector;
      json.spec.jsonx = json.spec.json;
    });
    expect(validator.validate(dashboard)).toEqual(["spec: must have required property 'instanceSelector'", 'spec: unknown field "jsonx"']);
    const folder = objectOf('GrafanaFolder', (json) => {
      json.spec.uid = 'has spaces';
    });
    expect(validator.validate(folder)).toEqual(['spec.uid: must match pattern "^[a-zA-Z0-9-_]+$"']);
  });

  it('check the fields of ServiceMonitors that monforge writes, and refuse any other', () => {
    const monitor = objectOf('ServiceMonitor', (json) => {
      json.spec.endpoints[0].interval = '5 seconds';
      json.spec.endpoints[0].relabelings[0].targetLabel = 'job-name';
      json.spec.endpoints[0].portx = 'metrics';
      delete json.spec.selector;
    });
    expect(validator.validate(monitor)).toEqual([
      "spec: must have required property 'selector'",
      'spec.endpoints[0]: unknown field "portx"',
      'spec.endpoints[0].interval: must match pattern "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"',
      'spec.endpoints[0].relabelings[0].targetLabel: must match pattern "^[a-zA-Z_][a-zA-Z0-9_]*$"',
    ]);
  });

  it('read Go patterns: (?i) as the i flag, other inline flags refused', () => {
    expect(
      validator.validate(
        objectOf('PrometheusRule', (json) => {
          json.spec.groups[0].partial_response_strategy = 'WARN';
        }),
      ),
    ).toEqual([]);
    expect(goRegExp('^(?i)(abort|warn)?$', 'u').test('Abort')).toBe(true);
    expect(() => goRegExp('^a(?s).$', 'u')).toThrow('unsupported inline flags');
  });

  it('check metadata and the essentials of Secrets and ConfigMaps', () => {
    const secret = objectOf('Secret', (json) => {
      json.metadata.name = 'Alertmanager_Main';
      json.stringData['bad/key'] = 'x';
      json.data = { 'alertmanager.yaml': 'not base64!' };
    });
    expect(validator.validate(secret)).toEqual([
      'metadata.name: must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"',
      'data.alertmanager.yaml: must match format "byte"',
      'stringData: "bad/key" is not a valid key',
    ]);
    const configMap = objectOf('ConfigMap', (json) => {
      delete json.metadata.namespace;
      json.metadata.labels['grafana dashboard'] = '1';
      json.datas = json.data;
    });
    expect(validator.validate(configMap)).toEqual([
      '(object): unknown field "datas"',
      "metadata: must have required property 'namespace'",
      'metadata.labels: "grafana dashboard" is not a valid key',
    ]);
    expect(validator.validate({ ...objectOf('ConfigMap'), apiVersion: 'apps/v1', kind: 'Deployment' })).toEqual([
      'apiVersion/kind: apps/v1 Deployment has no known schema',
    ]);
  });

  it('refuse oversized objects: 1 MiB for any, 512 KiB for a PrometheusRule', () => {
    const configMap = objectOf('ConfigMap', (json) => {
      json.data['api.json'] = 'x'.repeat(1100 * 1024);
    });
    expect(validator.validate(configMap)).toEqual([
      expect.stringMatching(/^ConfigMap is 11\d\d\.\d KiB, over Kubernetes' 1 MiB object limit$/),
    ]);
    const rule = objectOf('PrometheusRule', (json) => {
      json.spec.groups[0].rules[0].annotations.description = 'x'.repeat(600 * 1024);
    });
    expect(validator.validate(rule)).toEqual([
      expect.stringMatching(/^PrometheusRule is 6\d\d\.\d KiB, over prometheus-operator's 512 KiB limit/),
    ]);
  });

  it('run promtool on the rule groups a PrometheusRule or the Mimir file embeds, naming the file', async () => {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-embedded-'));
    try {
      expect(await embeddedRuleFindings(tree, scratch)).toEqual([]);
      const broken = objectOf('PrometheusRule', (json) => {
        json.spec.groups[0].rules[0].expr = 'sum(rate(x[5m])';
      });
      const file = tree.kubernetes!.find((each) => each.objects.some((object) => object.kind === 'PrometheusRule'))!;
      const findings = await embeddedRuleFindings({ kubernetes: [{ ...file, objects: [broken] }] }, scratch);
      expect(findings).toEqual([
        'kubernetes/prometheusrules/api.yaml (its rule groups): group "api-outage", rule "ApiDown": could not parse expression: 1:16: parse error: unclosed left parenthesis [validators/embedded-rules]',
      ]);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
