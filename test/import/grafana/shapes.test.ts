import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeErrors } from '../../../src/check/typecheck.ts';
import { fixtureRoot } from '../../helpers/index.ts';
import { importIntoProject, type ImportedProject } from './helpers.ts';

// The general case, beyond what kube-prometheus uses: every panel type the SDK builds, a panel
// type it does not (written with the generic builder), a collapsed and repeated row, variables
// of every kind, links, annotations, overrides of every matcher, value mappings,
// transformations, Loki queries, a mixed panel (Prometheus, server-side expressions, CloudWatch), positions the layout does not reproduce; and what older Grafana
// versions and the query inspector leave behind (a theme, request ids, variable tags, the export's inputs).

let project: ImportedProject;

beforeAll(async () => {
  project = await importIntoProject([path.join(fixtureRoot('import'), 'formats/dashboard-shapes.json')], 'shapes');
}, 300_000);
afterAll(() => project?.cleanup());

describe('import of a dashboard of every shape', () => {
  it('gives it back as Grafana reads it', () => {
    expect(project.report.refusals).toEqual([]);
    expect(project.report.proof).toEqual([{ summary: '1/1 dashboards equivalent (18 panels)', ok: true, details: [] }]);
  });

  it('says what it left out and which panels the generic builder writes, and why', () => {
    expect(project.report.notes.get('dashboards')).toEqual([
      '../../fixtures/import/formats/dashboard-shapes.json: dashboard "Shapes of the general case" › left out what Grafana keeps for itself or no longer reads: style, panel 3 "Queue depth" › targets[0].requestId, panel 3 "Queue depth" › targets[0].utcOffsetSec, panel 3 "Queue depth" › targets[0].datasourceId, panel 3 "Queue depth" › targets[0].step, variable "job" › tagsQuery',
      `../../fixtures/import/formats/dashboard-shapes.json: dashboard "Shapes of the general case" › panel 9 "Slowest routes": written with the generic dashboard.PanelBuilder, options as an object: options.footer.fields no method of common.TableFooterOptionsBuilder writes it in the SDK's table builder`,
      `../../fixtures/import/formats/dashboard-shapes.json: dashboard "Shapes of the general case" › panel 10 "Latency distribution": written with the generic dashboard.PanelBuilder, options as an object: options.color.steps no method of heatmap.HeatmapColorOptionsBuilder writes it in the SDK's heatmap builder`,
      '../../fixtures/import/formats/dashboard-shapes.json: dashboard "Shapes of the general case" › panel 17 "Clock": type "grafana-clock-panel" has no builder of its own in the SDK: written with the generic dashboard.PanelBuilder, options as an object',
    ]);
  });

  it('writes typed calls: enum members, convenience overrides, nested builders, the variables by kind', () => {
    const file = project.written.get('shapes-of-the-general-case.ts')!;
    for (const call of [
      ".overrideByName('errors', [",
      ".overrideByRegexp('/5../', [",
      ".overrideByQuery('B', [",
      'type: dashboard.MappingType.SpecialValue',
      '.instant()',
      '.format(prometheus.PromQueryFormat.Table)',
      'new loki.DataqueryBuilder().expr(\'{job=~"$job"} |= "error"\')',
      "new dashboard.CustomVariableBuilder('percentile')",
      "new dashboard.IntervalVariableBuilder('window')",
      "new dashboard.AdHocVariableBuilder('filters')",
      '.collapsed(true)',
      '.type(dashboard.DashboardLinkType.Dashboards)',
      // A mixed panel: each query through its own source's builder, expressions by their type.
      "new expr.TypeMathBuilder().datasource(exprSource).expression('$A * 60').refId('B')",
      'new cloudwatch.MetricsQueryBuilder()',
    ])
      expect(file).toContain(call);
  });

  it('type-checks under the repository strict settings', async () => {
    expect(await typeErrors(project.root)).toEqual([]);
  }, 60_000);
});

describe('import of a dashboard as Grafana 8.3 exported it (schema 33)', () => {
  let old: ImportedProject;
  beforeAll(async () => {
    old = await importIntoProject([path.join(fixtureRoot('import'), 'formats/dashboard-grafana-8.json')]);
  }, 300_000);
  afterAll(() => old?.cleanup());

  it('writes what Grafana 9 and newer would make of it on load, and gives it back as they read it', () => {
    expect(old.report.refusals).toEqual([]);
    expect(old.report.proof).toEqual([{ summary: '1/1 dashboards equivalent (3 panels)', ok: true, details: [] }]);
    const file = old.written.get('coredns-as-grafana-8-3-exported-it.ts')!;
    // Every axis hidden but the time axis (35); a hidden legend is a legend not shown (37); the table's display mode its cell type (38).
    expect(file).toContain(".overrideByFieldType('time', [{ id: 'custom.axisPlacement', value: 'auto' }])");
    expect(file).toContain(
      '.cellOptions({ type: common.TableCellDisplayMode.ColorBackground, mode: common.TableCellBackgroundDisplayMode.Gradient })',
    );
    // "default" is the default data source: left out, as Grafana reads it.
    expect(file).not.toContain("'default'");
  });
});
