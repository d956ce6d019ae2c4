import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { lintPlatformDashboards } from '../../../src/check/dashboard-lint.ts';
import { typeErrors } from '../../../src/check/typecheck.ts';
import { diffDashboards } from '../../../src/diff/dashboards.ts';
import { dashboardsIn } from '../../../src/import/grafana/inputs.ts';
import { proveDashboards } from '../../../src/import/grafana/prove.ts';
import { parseGeneratedTree } from '../../../src/reader/index.ts';
import { importIntoProject, type ImportedProject, kubePrometheusDashboards } from './helpers.ts';

// The ten dashboards kube-prometheus ships, imported as its manifests carry them (a ConfigMapList)
// and as plain JSON: the written TypeScript type-checks, loads, generates, lints clean and gives
// every dashboard back as Grafana reads it; a change to the generated JSON is caught by dashboard,
// panel and field.

type Json = Record<string, unknown>;

let project: ImportedProject;
let originals: { file: string; json: Json }[];

beforeAll(async () => {
  originals = await kubePrometheusDashboards();
  project = await importIntoProject(originals.map(({ file, json }) => ({ json, origin: file })));
}, 120_000);
afterAll(() => project?.cleanup());

describe('import of the kube-prometheus dashboards', () => {
  it('gives every dashboard back: 10/10 equivalent', () => {
    expect(proveDashboards(project.imported.dashboards, project.tree)).toEqual({
      summary: '10/10 dashboards equivalent (149 panels)',
      ok: true,
      details: [],
    });
  });

  it('writes one file per dashboard and one of metrics, in the folder given', () => {
    expect([...project.imported.files.keys()].sort()).toEqual([
      'alertmanager-overview.ts',
      'dashboard-metrics.ts',
      'grafana-overview.ts',
      'kubernetes-compute-resources-cluster.ts',
      'kubernetes-compute-resources-pod.ts',
      'kubernetes-kubelet.ts',
      'node-exporter-nodes.ts',
      'node-exporter-use-method-cluster.ts',
      'node-exporter-use-method-node.ts',
      'prometheus-overview.ts',
      'prometheus-remote-write.ts',
    ]);
    expect(project.platform.dashboards.map((dashboard) => `${dashboard.folder}/${dashboard.uid}`)).toContain(
      'kube-prometheus/alertmanager-overview',
    );
    expect([...project.files.keys()].filter((file) => file.startsWith('grafana/dashboards/kube-prometheus/'))).toHaveLength(10);
  });

  it('writes builder calls, never the JSON: no panel, query or variable is an object literal', () => {
    const nodes = project.imported.files.get('node-exporter-nodes.ts')!;
    expect(nodes).toContain("new dashboard.DashboardBuilder('Node Exporter / Nodes')");
    expect(nodes).toContain(".withRow(new dashboard.RowBuilder('CPU').id(1))");
    expect(nodes).toContain('new timeseries.PanelBuilder()');
    expect(nodes).toContain('new prometheus.DataqueryBuilder()');
    expect(nodes).toContain('.legend(new common.VizLegendOptionsBuilder().showLegend(true))');
    expect(nodes).toContain("new dashboard.QueryVariableBuilder('instance')");
    expect(nodes).not.toMatch(/"panels"|panels:|targets: \[\{|"expr"/);
  });

  it('declares each metric the queries read once, with the label names of its selectors', () => {
    const metrics = project.imported.files.get('dashboard-metrics.ts')!;
    expect(metrics).toContain(
      "export const alertmanagerAlerts = gauge({ name: 'alertmanager_alerts', help: 'Read by the dashboard \"Alertmanager / Overview\".', labels: ['namespace', 'service'] });",
    );
    expect(metrics.match(/name: 'node_cpu_seconds_total'/g)).toHaveLength(1);
    expect(project.imported.metrics.find((metric) => metric.name === 'kubelet_pleg_relist_duration_seconds')).toMatchObject({
      kind: 'histogram',
      labels: ['cluster', 'instance', 'job', 'metrics_path'],
      series: ['kubelet_pleg_relist_duration_seconds_bucket', 'kubelet_pleg_relist_duration_seconds_count'],
    });
  });

  it('type-checks, and the dashboard lint finds nothing in the imported dashboards', async () => {
    expect(await typeErrors(project.root)).toEqual([]);
    expect(lintPlatformDashboards(project.platform, project.files).filter((finding) => finding.includes('/kube-prometheus/'))).toEqual([]);
  }, 60_000);

  it('the lint finds a misspelt series or label later', () => {
    const file = 'grafana/dashboards/kube-prometheus/alertmanager-overview.json';
    const changed = new Map(project.files);
    changed.set(
      file,
      project.files
        .get(file)!
        .replace('alertmanager_alerts{namespace', 'alertmanager_alert{namespace')
        .replace('service=~\\"$service\\"}[$__rate', 'servce=~\\"$service\\"}[$__rate'),
    );
    expect(lintPlatformDashboards(project.platform, changed).filter((finding) => finding.startsWith(file))).toEqual([
      `${file}: panel 2 "Alerts" › target #1 › target-series: alertmanager_alert is neither a defined metric nor a generated recording rule`,
      `${file}: panel 3 "Alerts receive rate" › target #1 › target-label: servce is not a label of alertmanager_alerts_received_total (it has instance, job, namespace, service)`,
    ]);
  });

  it('names dashboard, panel and field of every difference, and says how many dashboards are equivalent', () => {
    const file = 'grafana/dashboards/kube-prometheus/7d57716318ee0dddbac5a7f451fb7753.json';
    const json = JSON.parse(project.files.get(file)!) as Json & { panels: Json[] };
    const panel = json.panels.find((each) => each.id === 2) as { fieldConfig: { defaults: Json }; targets: Json[] };
    panel.fieldConfig.defaults.unit = 'percent';
    panel.targets[0]!.legendFormat = 'cpu {{cpu}}';
    const changed = new Map(project.files).set(file, JSON.stringify(json));
    expect(proveDashboards(project.imported.dashboards, parseGeneratedTree(changed, 'changed'))).toEqual({
      summary: '9/10 dashboards equivalent (149 panels)',
      ok: false,
      details: [
        '7d57716318ee0dddbac5a7f451fb7753 › panel 2 "CPU / CPU Usage" › fieldConfig.defaults.unit: "percentunit" → "percent"',
        '7d57716318ee0dddbac5a7f451fb7753 › panel 2 "CPU / CPU Usage" › targets[0].legendFormat: "{{cpu}}" → "cpu {{cpu}}"',
      ],
    });
  });

  it('diff shows a changed query of an imported dashboard', () => {
    const file = 'grafana/dashboards/kube-prometheus/alertmanager-overview.json';
    const changed = new Map(project.files).set(
      file,
      project.files.get(file)!.replace('by (namespace,service,instance)', 'by (namespace,service)'),
    );
    const changes = diffDashboards(project.tree, parseGeneratedTree(changed, 'changed'));
    expect(changes).toEqual([
      expect.objectContaining({
        kind: 'dashboard',
        action: 'changed',
        object: 'alertmanager-overview › panel 2 "Alerts / Alerts"',
        field: 'queries',
        before: { A: 'sum(alertmanager_alerts{namespace=~"$namespace",service=~"$service"}) by (namespace,service,instance)' },
        after: { A: 'sum(alertmanager_alerts{namespace=~"$namespace",service=~"$service"}) by (namespace,service)' },
      }),
    ]);
  });
});

describe('the same dashboards as kube-prometheus ships them: one ConfigMapList', () => {
  it('reads every ConfigMap file, names each by object and file, and gives them back', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'ConfigMapList',
      items: originals.map(({ file, json }) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `grafana-dashboard-${file.replace('.json', '')}`, namespace: 'monitoring' },
        data: { [file]: JSON.stringify(json, null, 4) },
      })),
    };
    // As kubectl and the YAML reader hand it over: the List opened into its items.
    const value = JSON.parse(JSON.stringify(list)) as { items: unknown[] };
    const inputs = value.items.flatMap(
      (item, index) => dashboardsIn(item, `manifests/grafana-dashboardDefinitions.yaml › items[${index}]`)!.dashboards,
    );
    expect(inputs.map((input) => input.origin)[0]).toBe(
      'manifests/grafana-dashboardDefinitions.yaml › items[0] › ConfigMap grafana-dashboard-alertmanager-overview › data.alertmanager-overview.json',
    );
    const fromList = await importIntoProject(inputs);
    try {
      expect(proveDashboards(fromList.imported.dashboards, fromList.tree).summary).toBe('10/10 dashboards equivalent (149 panels)');
      expect(await readFile(path.join(fromList.root, 'definitions/imported/alertmanager-overview.ts'), 'utf8')).toContain(
        '// Alertmanager / Overview: imported from manifests/grafana-dashboardDefinitions.yaml › items[0] › ConfigMap grafana-dashboard-alertmanager-overview › data.alertmanager-overview.json by monforge import.',
      );
    } finally {
      await fromList.cleanup();
    }
    expect(stringify(list).length).toBeGreaterThan(0);
  }, 120_000);
});
