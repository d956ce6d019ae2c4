import * as units from '@grafana/grafana-foundation-sdk/units';
import { definedDashboardPath } from '../compile/grafana/links.ts';
import { readsPrometheus } from '../reader/dashboard-datasources.ts';
import type { Platform } from '../model/platform.ts';
import { sortedPaths, type FileSet } from '../output/fileset.ts';
import { queryFindings } from './dashboard-targets.ts';
import { dashboardLint, type DashboardLintRule } from '../findings/catalog/dashboard-lint.ts';
import { findingLine } from '../findings/kind.ts';
import { knownSeries, type KnownSeries } from './known-series.ts';

// The conventions of generated dashboards (dashboard-linter's rules, see the README) checked
// on the JSON as Grafana will load it. Every finding names dashboard, panel and target.

interface Target {
  readonly refId?: string;
  readonly expr?: string;
  readonly datasource?: { uid?: string; type?: string };
}

interface Panel {
  readonly id?: unknown;
  readonly type?: string;
  readonly title?: string;
  readonly description?: string;
  readonly datasource?: { uid?: string; type?: string };
  readonly targets?: readonly Target[];
  readonly fieldConfig?: { defaults?: { unit?: string } };
  readonly options?: { legend?: { showLegend?: boolean; displayMode?: string } };
  readonly panels?: readonly Panel[];
}

interface Variable {
  readonly type?: string;
  readonly name?: string;
  readonly label?: string;
  readonly query?: unknown;
  readonly datasource?: { uid?: string };
  readonly refresh?: number;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string;
}

interface DashboardJson {
  readonly uid?: unknown;
  readonly title?: unknown;
  readonly editable?: unknown;
  readonly tags?: unknown;
  readonly templating?: { list?: readonly Variable[] };
  readonly panels?: readonly Panel[];
}

const datasourceUid = '${datasource}';
const validUnits = new Set(Object.values(units as Record<string, unknown>).filter((value): value is string => typeof value === 'string'));
/** Grafana's custom units: `suffix:×`, `prefix:$`, `time:YYYY`, `si:B`, `count:req`, `currency:EUR`. */
const customUnit = /^(suffix|prefix|time|si|count|currency):./;
/** Panel types that draw a legend. */
const withLegend = new Set(['timeseries', 'status-history', 'state-timeline', 'piechart', 'barchart']);
/** Target labels a variable of the same name filters by; they follow dashboard-linter's template-job/instance rules. */
const labelVariables = new Set(['job', 'instance']);
/** `label_values(up{job="api"}, instance)`. */
const labelValues = /^label_values\((.+),\s*(\w+)\)$/s;

/** The lint of a platform's compiled files: its series known, its own dashboards told apart. */
export function lintPlatformDashboards(platform: Platform, files: FileSet): string[] {
  return lintDashboards(files, knownSeries(platform, files), new Set(platform.dashboards.map(definedDashboardPath)));
}

/**
 * Every finding of every dashboard under grafana/dashboards/. Dashboards of `defineDashboard`
 * (`own`, by path) are checked for what breaks a dashboard: uid, panel ids, PromQL, variables,
 * series and labels; the conventions are monforge's for the dashboards it derives.
 */
export function lintDashboards(files: FileSet, series: KnownSeries, own: ReadonlySet<string> = new Set()): string[] {
  const findings: string[] = [];
  const uids = new Map<string, string>();
  for (const path of sortedPaths(files).filter((each) => each.startsWith('grafana/dashboards/') && each.endsWith('.json'))) {
    let dashboard: DashboardJson;
    try {
      dashboard = JSON.parse(files.get(path)!) as DashboardJson;
    } catch (error) {
      findings.push(`${path}: ${lintFinding(`invalid-json: not JSON: ${(error as Error).message}`)}`);
      continue;
    }
    const report = (where: string[], finding: string): void => {
      findings.push(`${path}: ${[...where, lintFinding(finding)].join(' › ')}`);
    };
    const uid = typeof dashboard.uid === 'string' ? dashboard.uid : '';
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(uid))
      report([], `dashboard-uid: uid ${JSON.stringify(dashboard.uid)} must be 1–40 letters, digits, "-" or "_"`);
    else if (uids.has(uid)) report([], `dashboard-uid: uid "${uid}" is also the uid of ${uids.get(uid)}`);
    else uids.set(uid, path);
    const conventions = !own.has(path);
    if (conventions && dashboard.editable !== false)
      report([], 'uneditable-dashboard: editable must be false: generated dashboards are changed in the definitions');
    if (conventions && (!Array.isArray(dashboard.tags) || dashboard.tags.length === 0))
      report([], 'dashboard-tags: needs at least one tag');
    const variables = dashboard.templating?.list ?? [];
    const lint: Lint = { series, report, conventions, prometheus: readsPrometheus(dashboard as Record<string, unknown>) };
    variableFindings(variables, lint);
    panelFindings(dashboard.panels ?? [], new Set(variables.map((variable) => variable.name ?? '')), lint);
  }
  return findings;
}

/** How one dashboard is linted. */
interface Lint {
  readonly series: KnownSeries;
  readonly report: Report;
  readonly conventions: boolean;
  /** Whether a data source reference reads Prometheus: only PromQL is parsed. */
  readonly prometheus: (source: unknown) => boolean;
}

type Report = (where: string[], finding: string) => void;

function variableFindings(variables: readonly Variable[], { series, report, conventions, prometheus }: Lint): void {
  const sources = variables.filter((variable) => variable.type === 'datasource');
  const source = sources.find((variable) => variable.name === 'datasource');
  if (!conventions) {
    // Nothing to require of a dashboard of one's own but what it reads.
  } else if (sources.length !== 1 || !source) report([], 'template-datasource: needs exactly one data source variable, named "datasource"');
  else if (source.label !== 'Data source' || source.query !== 'prometheus')
    report(['variable "datasource"'], 'template-datasource: must be labelled "Data source" and list Prometheus data sources');
  for (const variable of variables.filter((each) => each.type === 'query')) {
    const where = [`variable "${variable.name}"`];
    if (conventions) {
      if (variable.datasource?.uid !== datasourceUid) report(where, `template-datasource: must query ${datasourceUid}`);
      if (variable.refresh !== 2) report(where, 'template-on-time-change-reload: must refresh on time range change (refresh: 2)');
      if (
        labelVariables.has(variable.name ?? '') &&
        (variable.label !== variable.name || !variable.multi || !variable.includeAll || variable.allValue !== '.+')
      ) {
        report(where, `template-label-variable: must be labelled "${variable.name}", multi-select, include All, with all value ".+"`);
      }
    } else if (!prometheus(variable.datasource)) continue;
    // Grafana 9 and newer store the query as `{ query, refId }`.
    const text =
      typeof variable.query === 'object' && variable.query !== null ? (variable.query as { query?: unknown }).query : variable.query;
    const query = typeof text === 'string' ? labelValues.exec(text) : null;
    if (!query) {
      if (conventions) report(where, 'template-label-promql: query must be label_values(<series selector>, <label>)');
      continue;
    }
    const names = new Set(variables.map((each) => each.name ?? ''));
    for (const finding of queryFindings(query[1]!, names, series, conventions)) report(where, finding);
  }
}

function panelFindings(panels: readonly Panel[], variables: ReadonlySet<string>, lint: Lint): void {
  const { series, report, conventions } = lint;
  const titles = new Map<unknown, string>();
  const all = panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  for (const [index, panel] of all.entries()) {
    const where = [`panel ${typeof panel.id === 'number' ? panel.id : `#${index + 1}`} "${panel.title ?? ''}"`];
    if (typeof panel.id !== 'number' || !Number.isInteger(panel.id) || panel.id <= 0) {
      // Grafana numbers panels without an id itself.
      if (conventions || panel.id !== undefined) report(where, 'panel-id: needs an explicit positive integer id');
    } else if (titles.has(panel.id)) report(where, `panel-id: id ${panel.id} is also the id of panel "${titles.get(panel.id)}"`);
    else titles.set(panel.id, panel.title ?? '');
    if (!conventions) {
      for (const [at, target] of (panel.targets ?? []).entries()) {
        if (!target.expr || !lint.prometheus(target.datasource ?? panel.datasource)) continue;
        const inner = [...where, `target ${target.refId ?? `#${at + 1}`}`];
        for (const finding of queryFindings(target.expr, variables, series, false)) report(inner, finding);
      }
      continue;
    }
    if (!panel.title) report(where, 'panel-title-description: needs a title');
    if (panel.type === 'row') continue;
    if (!panel.description) report(where, 'panel-title-description: needs a description');
    const unit = panel.fieldConfig?.defaults?.unit;
    if (!unit || !(validUnits.has(unit) || customUnit.test(unit)))
      report(where, `panel-units: ${unit ? `"${unit}" is not a Grafana unit` : 'needs a unit'}`);
    if (panel.datasource?.uid !== datasourceUid) report(where, `panel-datasource: must read ${datasourceUid}`);
    if (withLegend.has(panel.type ?? '') && (panel.options?.legend?.showLegend !== true || panel.options.legend.displayMode === 'hidden'))
      report(where, 'panel-legend: the legend must be shown');
    const targets = panel.targets ?? [];
    if (!targets.some((target) => target.expr)) report(where, 'panel-no-targets: needs at least one query');
    for (const [at, target] of targets.entries()) {
      const inner = [...where, `target ${target.refId ?? `#${at + 1}`}`];
      if (target.datasource?.uid !== datasourceUid) report(inner, `target-datasource: must read ${datasourceUid}`);
      for (const finding of queryFindings(target.expr ?? '', variables, series)) report(inner, finding);
    }
  }
}

/** `rule: message` as the lint words it, said by the rule's kind: `message [dashboard-lint/rule]`. */
function lintFinding(finding: string): string {
  const [, rule = '', message = finding] = /^([a-z-]+): ([\s\S]*)$/.exec(finding) ?? [];
  const kind = dashboardLint[rule as DashboardLintRule];
  if (!kind) throw new Error(`dashboard lint rule "${rule}" has no kind in src/findings/catalog/dashboard-lint.ts`);
  return findingLine(kind(message));
}
