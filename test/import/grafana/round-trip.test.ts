import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { lintPlatformDashboards } from '../../../src/check/dashboard-lint.ts';
import { typeErrors } from '../../../src/check/typecheck.ts';
import { diffDashboards } from '../../../src/diff/dashboards.ts';
import { proveDashboards } from '../../../src/import/grafana/prove.ts';
import { formatReport, importSucceeded } from '../../../src/import/report.ts';
import { parseGeneratedTree } from '../../../src/reader/index.ts';
import { importIntoProject, type ImportedProject, kubePrometheusDashboards, scratchInput } from './helpers.ts';

// The ten dashboards kube-prometheus ships, imported by `monforge import` into a project made by
// init, as plain JSON and as its manifests carry them (a ConfigMapList): the written TypeScript
// type-checks, loads, generates, lints clean and gives every dashboard back as Grafana reads it;
// a change to the generated JSON is caught by dashboard, panel and field.

type Json = Record<string, unknown>;

let project: ImportedProject;
let originals: { file: string; json: Json }[];

beforeAll(async () => {
  originals = await kubePrometheusDashboards();
  project = await importIntoProject(originals.map(({ file }) => file));
}, 300_000);
afterAll(() => project?.cleanup());

describe('import of the kube-prometheus dashboards', () => {
  it('gives every dashboard back, and says so: 10/10 equivalent', () => {
    expect(project.report.refusals).toEqual([]);
    expect(project.report.proof).toEqual([{ summary: '10/10 dashboards equivalent (149 panels)', ok: true, details: [] }]);
    expect(formatReport(project.report).trimEnd().split('\n').at(-1)).toBe('10/10 dashboards equivalent (149 panels)');
    expect(importSucceeded(project.report)).toBe(true);
  });

  it('writes one file per dashboard and one of metrics, in the folder of imported dashboards', () => {
    expect([...project.written.keys()].sort()).toEqual([
      'alertmanager-overview.ts',
      'grafana-overview.ts',
      'kubernetes-compute-resources-cluster.ts',
      'kubernetes-compute-resources-pod.ts',
      'kubernetes-kubelet.ts',
      'metrics.ts',
      'node-exporter-nodes.ts',
      'node-exporter-use-method-cluster.ts',
      'node-exporter-use-method-node.ts',
      'prometheus-overview.ts',
      'prometheus-remote-write.ts',
    ]);
    expect(project.platform.dashboards.map((dashboard) => `${dashboard.folder}/${dashboard.uid}`)).toContain(
      'imported/alertmanager-overview',
    );
    expect([...project.files.keys()].filter((file) => file.startsWith('grafana/dashboards/imported/'))).toHaveLength(10);
  });

  it('writes builder calls, never the JSON: no panel, query or variable is an object literal', () => {
    const nodes = project.written.get('node-exporter-nodes.ts')!;
    expect(nodes).toContain("new dashboard.DashboardBuilder('Node Exporter / Nodes')");
    expect(nodes).toContain(".withRow(new dashboard.RowBuilder('CPU').id(1))");
    expect(nodes).toContain('new timeseries.PanelBuilder()');
    expect(nodes).toContain('new prometheus.DataqueryBuilder()');
    expect(nodes).toContain('.legend(new common.VizLegendOptionsBuilder().showLegend(true))');
    expect(nodes).toContain("new dashboard.QueryVariableBuilder('instance')");
    expect(nodes).not.toMatch(/"panels"|panels:|targets: \[\{|"expr"/);
  });

  it('declares each series the queries read once, in the metrics module of the import, with the label names of its selectors', () => {
    const metrics = project.written.get('metrics.ts')!;
    expect(metrics).toContain(
      [
        'export const alertmanagerAlerts = gauge({',
        "  name: 'alertmanager_alerts',",
        "  help: 'Read by what was imported from alertmanager-overview.json.',",
        "  labels: ['namespace', 'service'],",
        '});',
      ].join('\n'),
    );
    expect(metrics.match(/name: 'node_cpu_seconds_total'/g)).toHaveLength(1);
    // A series read through rate() is a counter, whatever its name.
    expect(metrics).toContain(
      "export const kubeletPlegRelistDurationSecondsBucket = counter({\n  name: 'kubelet_pleg_relist_duration_seconds_bucket',",
    );
    // The project declares it already (init's memory gauge), without the labels the dashboards' targets carry: declared again for them.
    expect(metrics).toContain(
      "help: 'Read by what was imported from kubelet.json. Declared in definitions/policies.ts too, without labels that the dashboards match.',",
    );
    expect(project.written.get('alertmanager-overview.ts')).toContain("} from './metrics.ts';");
  });

  it('type-checks, and the dashboard lint finds nothing in the imported dashboards', async () => {
    expect(await typeErrors(project.root)).toEqual([]);
    expect(lintPlatformDashboards(project.platform, project.files).filter((finding) => finding.includes('/imported/'))).toEqual([]);
  }, 60_000);

  it('the lint finds a misspelt series or label later', () => {
    const file = 'grafana/dashboards/imported/alertmanager-overview.json';
    const changed = new Map(project.files);
    changed.set(
      file,
      project.files
        .get(file)!
        .replace('alertmanager_alerts{namespace', 'alertmanager_alert{namespace')
        .replace('service=~\\"$service\\"}[$__rate', 'servce=~\\"$service\\"}[$__rate'),
    );
    expect(lintPlatformDashboards(project.platform, changed).filter((finding) => finding.startsWith(file))).toEqual([
      `${file}: panel 2 "Alerts" › target #1 › alertmanager_alert is neither a defined metric nor a generated recording rule [dashboard-lint/target-series]`,
      `${file}: panel 3 "Alerts receive rate" › target #1 › servce is not a label of alertmanager_alerts_received_total (it has instance, job, namespace, service) [dashboard-lint/target-label]`,
    ]);
  });

  it('names dashboard, panel and field of every difference, and says how many dashboards are equivalent', () => {
    const file = 'grafana/dashboards/imported/7d57716318ee0dddbac5a7f451fb7753.json';
    const json = JSON.parse(project.files.get(file)!) as Json & { panels: Json[] };
    const panel = json.panels.find((each) => each.id === 2) as { fieldConfig: { defaults: Json }; targets: Json[] };
    panel.fieldConfig.defaults.unit = 'percent';
    panel.targets[0]!.legendFormat = 'cpu {{cpu}}';
    const changed = new Map(project.files).set(file, JSON.stringify(json));
    expect(proveDashboards(project.dashboards, parseGeneratedTree(changed, 'changed'))).toEqual({
      summary: '9/10 dashboards equivalent (149 panels)',
      ok: false,
      details: [
        '7d57716318ee0dddbac5a7f451fb7753 › panel 2 "CPU / CPU Usage" › fieldConfig.defaults.unit: "percentunit" → "percent"',
        '7d57716318ee0dddbac5a7f451fb7753 › panel 2 "CPU / CPU Usage" › targets[0].legendFormat: "{{cpu}}" → "cpu {{cpu}}"',
      ],
    });
  });

  it('names a dashboard the project no longer generates', () => {
    const without = new Map([...project.files].filter(([file]) => !file.endsWith('/alertmanager-overview.json')));
    expect(proveDashboards(project.dashboards, parseGeneratedTree(without, 'without'))).toMatchObject({
      summary: '9/10 dashboards equivalent (149 panels)',
      ok: false,
      details: [`alertmanager-overview: not generated (the dashboard of ${path.relative(project.root, originals[0]!.file)})`],
    });
  });

  it('diff shows a changed query of an imported dashboard', () => {
    const file = 'grafana/dashboards/imported/alertmanager-overview.json';
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
  it('reads every ConfigMap file, names each by object and file, puts them in the --team folder and gives them back', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'ConfigMapList',
      items: originals.map(({ file, json }) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `grafana-dashboard-${path.basename(file, '.json')}`, namespace: 'monitoring' },
        data: { [path.basename(file)]: JSON.stringify(json, null, 4) },
      })),
    };
    const input = await scratchInput('grafana-dashboardDefinitions.yaml', stringify(list, { lineWidth: 0 }));
    const fromList = await importIntoProject([input], 'platform');
    try {
      expect(fromList.report.proof.map((part) => part.summary)).toEqual(['10/10 dashboards equivalent (149 panels)']);
      expect(fromList.written.get('alertmanager-overview.ts')).toMatch(
        /^\/\/ Imported by `monforge import` from \.\.\/input-\w+\/grafana-dashboardDefinitions\.yaml \(ConfigMap grafana-dashboard-alertmanager-overview › data\.alertmanager-overview\.json\)\.\n/,
      );
      expect(fromList.platform.dashboards.every((dashboard) => dashboard.folder === 'platform')).toBe(true);
    } finally {
      await fromList.cleanup();
      await rm(path.dirname(input), { recursive: true, force: true });
    }
  }, 300_000);
});
