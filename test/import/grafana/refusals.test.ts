import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { convertDashboards, formatProblem, uidFromTitle } from '../../../src/import/grafana/convert.ts';
import { dashboardsIn, formatInputProblem, recogniseDashboards } from '../../../src/import/grafana/inputs.ts';
import { parseJson } from '../../../src/load/json.ts';
import { dashboard } from './helpers.ts';

// What import refuses, whole and by name, and what it reads: every refusal of every input at
// once, and then nothing.

const refusals = (...inputs: Record<string, unknown>[]): string[] =>
  convertDashboards(
    inputs.map((json, index) => ({ json, origin: `d${index + 1}.json` })),
    'imported',
  ).problems.map(formatProblem);

describe('dashboard import refuses', () => {
  it('row-based dashboards and schemas older than Grafana 8.0, saying what to do', () => {
    expect(
      refusals(dashboard({ schemaVersion: 14, panels: undefined, rows: [{ panels: [] }] }), dashboard({ uid: 'd2', schemaVersion: 27 })),
    ).toEqual([
      'd1.json: dashboard "Service" › dashboard: is a row-based dashboard (schemaVersion 14, before Grafana 5): open it in Grafana 10 or newer and export it again',
      'd2.json: dashboard "Service" › dashboard: has schemaVersion 27, older than 30 (Grafana 8.0): Grafana migrates its value mappings and panels on load; open it in Grafana 10 or newer and export it again',
    ]);
  });

  it('panels of types the SDK has no builder for whose fields the generic builder cannot hold, by panel', () => {
    const graph = {
      id: 3,
      type: 'graph',
      title: 'Legacy',
      gridPos: { h: 8, w: 12, x: 0, y: 0 },
      yaxes: [{ format: 'short' }],
      lines: true,
    };
    expect(refusals(dashboard({ panels: [graph] }))).toEqual([
      'd1.json: dashboard "Service" › panel 3 "Legacy": is a "graph" panel, which the SDK has no builder for, and the generic panel builder cannot hold its yaxes: Grafana 11 turns it into a time series panel; open the dashboard there, save it and export it again',
    ]);
  });

  it('queries of data sources the SDK has no query builder for', () => {
    const influx = {
      id: 4,
      type: 'timeseries',
      title: 'Influx',
      datasource: { type: 'influxdb', uid: 'abc' },
      targets: [{ refId: 'A', query: 'SELECT 1' }],
    };
    expect(refusals(dashboard({ panels: [influx] }))).toEqual([
      'd1.json: dashboard "Service" › panel 4 "Influx": targets.0: reads data source plugin "influxdb", which the SDK has no query builder for',
    ]);
  });

  it('dashboards exported for sharing externally that read inputs provisioning does not fill in (listing them is fine)', () => {
    const inputs = {
      __inputs: [{ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }],
      __requires: [{ type: 'panel', id: 'timeseries' }],
    };
    const reading = {
      id: 1,
      type: 'timeseries',
      title: 'Requests',
      datasource: { uid: '${DS_PROMETHEUS}' },
      targets: [{ expr: 'up', refId: 'A' }],
    };
    expect(refusals(dashboard({ ...inputs, panels: [reading] }), dashboard({ ...inputs, uid: 'd2' }))).toEqual([
      'd1.json: dashboard "Service" › dashboard: was exported for sharing externally and reads its inputs ${DS_PROMETHEUS}: Grafana fills these in when importing through its UI, provisioning does not; export it again without "Export for sharing externally"',
    ]);
  });

  it('two dashboards with one uid, a uid Grafana does not take, a dashboard without title: every one at once', () => {
    expect(
      refusals(dashboard(), dashboard({ title: 'Other' }), dashboard({ uid: 'has space' }), dashboard({ uid: 'd9', title: '' })),
    ).toEqual([
      'd2.json: dashboard "Other": uid "d1" is also the uid of dashboard "Service" in d1.json: Grafana keeps one dashboard per uid',
      'd3.json: dashboard "Service": uid "has space" is not 1–40 letters, digits, "-" or "_"',
      'd4.json: dashboard "(untitled)": has no title, which Grafana requires',
    ]);
  });
});

describe('dashboard import notes', () => {
  it('gives a dashboard without uid a stable one from its title, and says so', () => {
    const imported = convertDashboards(
      [{ json: dashboard({ uid: undefined, title: 'Node Exporter / Nodes' }), origin: 'nodes.json' }],
      'imported',
    );
    expect(imported.converted[0]!.uid).toBe('node-exporter-nodes');
    expect(imported.converted[0]!.original.uid).toBe('node-exporter-nodes');
    expect(imported.inferred).toEqual([
      'nodes.json: dashboard "Node Exporter / Nodes" has no uid: given "node-exporter-nodes", from its title (Grafana would make up a random one)',
    ]);
    expect(uidFromTitle('A very long title of a dashboard that goes on and on / and on')).toBe('a-very-long-title-of-a-dashboar-c897c861');
  });
});

describe('inputs', () => {
  it('recognises a dashboard, the API envelope, ConfigMaps carrying dashboards and GrafanaDashboard objects, by content', () => {
    expect(recogniseDashboards(dashboard())?.kind).toBe('Grafana dashboard');
    expect(recogniseDashboards({ dashboard: dashboard(), meta: { folderTitle: 'Platform' } })).toMatchObject({
      kind: 'Grafana dashboard (API)',
      dashboards: [{ path: ['dashboard'], folder: 'Platform' }],
    });
    const configMap = {
      kind: 'ConfigMap',
      metadata: { name: 'nodes', labels: { grafana_dashboard: '1' }, annotations: { grafana_folder: 'Kubernetes' } },
      data: { 'nodes.json': JSON.stringify(dashboard()), 'README.md': 'not a dashboard' },
    };
    expect(recogniseDashboards(configMap)).toMatchObject({
      kind: 'ConfigMap of dashboards',
      dashboards: [{ label: 'data.nodes.json', folder: 'Kubernetes' }],
    });
    expect(recogniseDashboards({ kind: 'ConfigMap', data: { 'settings.ini': '[server]' } })).toBeUndefined();
    const operator = {
      apiVersion: 'grafana.integreatly.org/v1beta1',
      kind: 'GrafanaDashboard',
      metadata: { name: 'nodes' },
      spec: { folder: 'Nodes', json: JSON.stringify(dashboard()) },
    };
    expect(recogniseDashboards(operator)).toMatchObject({
      kind: 'GrafanaDashboard',
      dashboards: [{ label: 'spec.json', folder: 'Nodes' }],
    });
    expect(recogniseDashboards({ groups: [] })).toBeUndefined();
  });

  it('reports JSON that does not parse by line and column, and a GrafanaDashboard whose dashboard lives elsewhere', () => {
    const broken = {
      kind: 'ConfigMap',
      metadata: { name: 'nodes' },
      data: { 'nodes.json': '{\n  "title": "Nodes",\n  "panels": [\n    { "id": 1 }\n    { "id": 2 }\n  ]\n}' },
    };
    expect(dashboardsIn(broken)?.problems.map(formatInputProblem)).toEqual([
      "ConfigMap nodes › data.nodes.json: its JSON does not parse at line 5, column 5: expected ',' or ']' after array element",
    ]);
    const remote = {
      apiVersion: 'grafana.integreatly.org/v1beta1',
      kind: 'GrafanaDashboard',
      metadata: { name: 'nodes' },
      spec: { url: 'https://grafana.com/api/dashboards/1860/revisions/37/download' },
    };
    expect(dashboardsIn(remote)).toEqual({
      dashboards: [],
      problems: [
        {
          path: ['spec', 'url'],
          object: 'GrafanaDashboard nodes › spec.url',
          reason:
            'the dashboard comes from spec.url, outside the object: import reads dashboards carried in spec.json or spec.gzipJson (fetch it and import the JSON)',
        },
      ],
    });
    // Node's reason where it names a position; else the character found, or the end.
    expect(parseJson('{"a": 1,}')).toEqual({ problem: { line: 1, column: 9, message: 'expected double-quoted property name' } });
    expect(parseJson('{"a": [1')).toEqual({ problem: { line: 1, column: 9, message: "expected ',' or ']' after array element" } });
    expect(parseJson('{"a": tru}')).toEqual({ problem: { line: 1, column: 10, message: 'unexpected "}"' } });
    expect(parseJson('{"a": "\\x"}')).toMatchObject({ problem: { line: 1, column: 9 } });
    expect(parseJson('{"a": "\\u12"}')).toMatchObject({ problem: { line: 1, column: 12 } });
    expect(parseJson('[1, 2')).toEqual({ problem: { line: 1, column: 6, message: "expected ',' or ']' after array element" } });
    expect(parseJson('{"a": n')).toEqual({ problem: { line: 1, column: 8, message: 'unexpected end of input' } });
  });

  it('reads a GrafanaDashboard whose dashboard is gzipped in spec.gzipJson, and says when it is not', () => {
    const operator = (gzipJson: string) => ({
      apiVersion: 'grafana.integreatly.org/v1beta1',
      kind: 'GrafanaDashboard',
      metadata: { name: 'nodes' },
      spec: { folder: 'Nodes', gzipJson },
    });
    const packed = gzipSync(JSON.stringify(dashboard())).toString('base64');
    expect(dashboardsIn(operator(packed))).toEqual({
      dashboards: [{ json: dashboard(), path: ['spec', 'gzipJson'], where: 'GrafanaDashboard nodes › spec.gzipJson', folder: 'Nodes' }],
      problems: [],
    });
    expect(dashboardsIn(operator('bm90IGd6aXA='))?.problems.map(formatInputProblem)).toEqual([
      'GrafanaDashboard nodes › spec.gzipJson: is not base64 of gzipped JSON of at most 16777216 bytes (incorrect header check)',
    ]);
    const notDashboard = gzipSync('{"title": 1}').toString('base64');
    expect(dashboardsIn(operator(notDashboard))?.problems.map(formatInputProblem)).toEqual([
      'GrafanaDashboard nodes › spec.gzipJson: is not a Grafana dashboard (no panels under a title)',
    ]);
  });

  it('puts a dashboard in the folder its source names, as a directory name, and the others in the folder given', () => {
    const imported = convertDashboards(
      [
        { json: dashboard(), origin: 'nodes.yaml › ConfigMap nodes › data.nodes.json', folder: 'Kubernetes / Nodes' },
        { json: dashboard({ uid: 'd2', title: 'Other' }), origin: 'other.yaml › ConfigMap other › data.other.json', folder: '// 42' },
        { json: dashboard({ uid: 'd3', title: 'Third' }), origin: 'third.json' },
      ],
      'imported',
    );
    expect(imported.converted.map((each) => each.folder)).toEqual(['kubernetes-nodes', 'imported', 'imported']);
  });
});
