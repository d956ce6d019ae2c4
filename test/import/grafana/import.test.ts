import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runImport } from '../../../src/import/index.ts';
import { formatReport, importSucceeded } from '../../../src/import/report.ts';
import { initProject } from '../../helpers/index.ts';
import { dashboard } from './helpers.ts';

// Dashboards through `monforge import` itself: every refusal of every input at once, each with
// its file and line, and then nothing written; a dashboard without uid imported with one from its
// title, said under `inferred`.

const project = await initProject('import-dashboards');
afterAll(project.cleanup);

async function inputs(files: Record<string, string>): Promise<string[]> {
  await mkdir(path.join(project.root, 'inputs'), { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(path.join(project.root, 'inputs', file), content);
  return Object.keys(files).map((file) => `inputs/${file}`);
}

describe('monforge import of dashboards', () => {
  it('refuses every bad input at once, by file and line, and writes nothing', async () => {
    const configMap = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: grafana-dashboard-nodes',
      'data:',
      '  nodes.json: |-',
      '    {',
      '      "title": "Nodes",',
      '      "panels": [',
      '        { "id": 1 }',
      '        { "id": 2 }',
      '      ]',
      '    }',
      '',
    ].join('\n');
    const operator = stringify({
      apiVersion: 'grafana.integreatly.org/v1beta1',
      kind: 'GrafanaDashboard',
      metadata: { name: 'remote' },
      spec: { grafanaCom: { id: 1860 } },
    });
    const files = await inputs({
      'broken.json': '{\n  "title": "Broken",\n  "panels": [\n    { "id": 1 },\n  ]\n}\n',
      'nodes.yaml': configMap,
      'operator.yaml': operator,
      'first.json': JSON.stringify(dashboard(), null, 2),
      'second.json': JSON.stringify(dashboard({ title: 'Other' }), null, 2),
      'legacy.json': JSON.stringify(dashboard({ uid: 'legacy', schemaVersion: 27 }), null, 2),
    });
    const report = await runImport({ root: project.root, files });
    expect(formatReport(report)).toBe(
      [
        'inputs/broken.json:5: file: invalid JSON at column 3: unexpected "]"',
        "inputs/nodes.yaml:11: ConfigMap grafana-dashboard-nodes › data.nodes.json: its JSON does not parse at line 5, column 5: expected ',' or ']' after array element",
        'inputs/operator.yaml:6: GrafanaDashboard remote › spec.grafanaCom: the dashboard comes from spec.grafanaCom, outside the object: import reads dashboards carried in spec.json or spec.gzipJson (fetch it and import the JSON)',
        'inputs/second.json:1: dashboard "Other": uid "d1" is also the uid of dashboard "Service" in inputs/first.json: Grafana keeps one dashboard per uid',
        'inputs/legacy.json:1: dashboard "Service" › dashboard: has schemaVersion 27, older than 30 (Grafana 8.0): Grafana migrates its value mappings and panels on load; open it in Grafana 10 or newer and export it again',
        '5 refusals: nothing written',
        '',
      ].join('\n'),
    );
    await expect(access(path.join(project.root, 'definitions/imported'))).rejects.toThrow();
  }, 120_000);

  it('gives a dashboard without uid one from its title, says so, and reads the API envelope and its folder', async () => {
    const files = await inputs({
      'untitled-uid.json': JSON.stringify(dashboard({ uid: undefined, title: 'Node Exporter / Nodes' })),
      'api.json': JSON.stringify({
        dashboard: dashboard({ uid: 'api-one', title: 'From the API' }),
        meta: { folderTitle: 'Kubernetes / Nodes' },
      }),
    });
    const report = await runImport({ root: project.root, files });
    expect(report.refusals).toEqual([]);
    expect(report.inferred).toEqual([
      'inputs/untitled-uid.json: dashboard "Node Exporter / Nodes" has no uid: given "node-exporter-nodes", from its title (Grafana would make up a random one)',
    ]);
    expect(report.written).toEqual(['definitions/imported/node-exporter-nodes.ts', 'definitions/imported/from-the-api.ts']);
    expect(report.proof.map((part) => part.summary)).toEqual(['2/2 dashboards equivalent (2 panels)']);
    expect(importSucceeded(report)).toBe(true);
  }, 120_000);
});
