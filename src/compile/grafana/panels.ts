import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardLinkBuilder,
  FieldColorBuilder,
  FieldColorModeId,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type DashboardLink,
  type Threshold,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StatusHistoryPanelBuilder } from '@grafana/grafana-foundation-sdk/statushistory';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

// Panel factories that apply the dashboard conventions once (dashboard-linter's rules): every
// panel and target reads `${datasource}`, has an explicit id, a title, a description, a unit
// and targets; legends are shown. Every call builds new builders: nothing is shared by reference.

/** The `datasource` template variable every panel and target reads. */
export const datasource = { type: 'prometheus', uid: '${datasource}' };

export interface Query {
  readonly expr: string;
  /** Series name in the legend, e.g. `{{route}}` or `p95`. */
  readonly legend: string;
  /** Tables read one instant value per series instead of a range. */
  readonly table?: boolean;
}

export interface Link {
  readonly title: string;
  readonly url: string;
}

export interface PanelSpec {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly queries: readonly Query[];
  readonly width: number;
  readonly height?: number;
  readonly links?: readonly Link[];
}

/** A threshold step: from `value` upwards (the first step has none), drawn in `color`. */
export interface Step {
  readonly value: number | null;
  readonly color: string;
}

const refIds = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function target(query: Query, index: number): DataqueryBuilder {
  const builder = new DataqueryBuilder().refId(refIds[index]!).datasource(datasource).expr(query.expr).legendFormat(query.legend);
  return query.table ? builder.instant().format(PromQueryFormat.Table) : builder.range();
}

export const thresholds = (steps: readonly Step[]): ThresholdsConfigBuilder =>
  new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps(steps.map((step): Threshold => ({ value: step.value, color: step.color })));

function panelLinks(links: readonly Link[]): cog.Builder<DashboardLink>[] {
  return links.map((link) => new DashboardLinkBuilder(link.title).url(link.url).targetBlank(true));
}

/** What every panel builder of the SDK offers; the conventions are applied through it. */
interface Common<T> {
  id(id: number): T;
  title(title: string): T;
  description(description: string): T;
  unit(unit: string): T;
  datasource(ref: typeof datasource): T;
  targets(targets: cog.Builder<cog.Dataquery>[]): T;
  span(width: number): T;
  height(height: number): T;
  links(links: cog.Builder<DashboardLink>[]): T;
}

function withConventions<T extends Common<T>>(panel: T, spec: PanelSpec): T {
  return panel
    .id(spec.id)
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(datasource)
    .targets(spec.queries.map(target))
    .span(spec.width)
    .height(spec.height ?? 8)
    .links(panelLinks(spec.links ?? []));
}

const legend = (): common.VizLegendOptionsBuilder =>
  new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom);

/** A time series; levels given as `steps` are drawn as dashed lines across the graph. */
export function timeseries(spec: PanelSpec, steps?: readonly Step[]): TimeseriesPanelBuilder {
  const panel = withConventions(new TimeseriesPanelBuilder(), spec)
    .legend(legend())
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .fillOpacity(10);
  if (!steps) return panel;
  return panel
    .thresholds(thresholds(steps))
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
}

const byThresholds = (): FieldColorBuilder => new FieldColorBuilder().mode(FieldColorModeId.Thresholds);

/** Big numbers, one per series, coloured by `steps`. */
export function stat(spec: PanelSpec, steps: readonly Step[], noValue?: string): StatPanelBuilder {
  const panel = withConventions(new StatPanelBuilder(), spec)
    .thresholds(thresholds(steps))
    .colorScheme(byThresholds())
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  return noValue === undefined ? panel : panel.noValue(noValue);
}

/** A state over time per series: rows of coloured cells. */
export function statusHistory(spec: PanelSpec, steps: readonly Step[]): StatusHistoryPanelBuilder {
  return withConventions(new StatusHistoryPanelBuilder(), spec).thresholds(thresholds(steps)).colorScheme(byThresholds()).legend(legend());
}

export interface Column {
  readonly field: string;
  readonly title: string;
  /** Overrides the panel's unit for this column. */
  readonly unit?: string;
}

/**
 * A table of instant values: the queries' results joined on their labels (Grafana's `merge`),
 * showing `columns` in order under their titles; every other field is hidden.
 */
export function table(spec: PanelSpec, columns: readonly Column[], noValue: string): TablePanelBuilder {
  const panel = withConventions(new TablePanelBuilder(), spec)
    .noValue(noValue)
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({ id: 'filterFieldsByName', options: { include: { names: columns.map((column) => column.field) } } })
    .withTransformation({
      id: 'organize',
      options: {
        indexByName: Object.fromEntries(columns.map((column, index) => [column.field, index])),
        renameByName: Object.fromEntries(columns.map((column) => [column.field, column.title])),
        excludeByName: {},
      },
    });
  for (const column of columns) if (column.unit) panel.overrideByName(column.title, [{ id: 'unit', value: column.unit }]);
  return panel;
}
