import { findingKind, type FindingKind } from '../kind.ts';

// What `check` finds in the dashboards generate writes: a lint of the dashboard JSON itself
// (rule names after Grafana's dashboard-linter, with monforge's conventions for the dashboards
// it derives) and of every query against the metrics and recording rules the definitions have.
// The lint words each finding; a rule is its id and its page.

interface LintRule {
  readonly title: string;
  readonly cause: string;
  readonly fix: string;
}

const derived = 'a dashboard monforge derives from the definitions';
const regenerate =
  'Fix the definitions (or the dashboard of `defineDashboard`) and run `monforge generate`; a dashboard monforge derives is fixed in monforge itself (report it).';

const rules = {
  'invalid-json': {
    title: 'A dashboard file is not JSON',
    cause: 'The file under `generated/grafana/dashboards/` does not parse: it was edited by hand or written half.',
    fix: 'Run `monforge generate` again; never edit generated/ by hand.',
  },
  'dashboard-uid': {
    title: 'A dashboard uid Grafana refuses or two dashboards share',
    cause:
      'Grafana keys dashboards by uid (1–40 letters, digits, `-`, `_`); a second dashboard of one uid replaces the first when provisioned.',
    fix: 'Give the dashboard a uid of its own (`uid` of `defineDashboard`).',
  },
  'uneditable-dashboard': {
    title: 'A derived dashboard is editable in Grafana',
    cause: `Changes made in Grafana to ${derived} are lost on the next provisioning.`,
    fix: regenerate,
  },
  'dashboard-tags': {
    title: 'A derived dashboard has no tag',
    cause: `Tags are how Grafana's dashboard list and links find ${derived}.`,
    fix: regenerate,
  },
  'template-datasource': {
    title: 'The data source variable is missing or reads another data source',
    cause: 'Every query reads the data source through one variable named `datasource`, so one dashboard serves every Prometheus.',
    fix: regenerate,
  },
  'template-on-time-change-reload': {
    title: 'A variable does not refresh when the time range changes',
    cause: 'A label_values() variable computed once lists the series of the time it was loaded, not of the range shown.',
    fix: regenerate,
  },
  'template-label-variable': {
    title: 'A label variable is not multi-select with All',
    cause: 'Label variables of derived dashboards select any number of values and `.+` for All, so the panels match what the labels hold.',
    fix: regenerate,
  },
  'template-label-promql': {
    title: "A label variable's query is not label_values(selector, label)",
    cause: 'Only that form can be checked against the definitions and stays cheap on a large Prometheus.',
    fix: regenerate,
  },
  'template-variable': {
    title: 'A query reads a variable the dashboard does not have',
    cause: 'Grafana leaves an unknown `$name` in the query as it is, and the query then selects nothing or does not parse.',
    fix: 'Use a variable the dashboard defines, or define it (`variables` of `defineDashboard`).',
  },
  'panel-id': {
    title: 'A panel without an id, or two panels of one id',
    cause:
      'Links to a panel (`viewPanel=`, the alerts’ dashboard links) name its id; without one, or with a shared one, they open the wrong panel.',
    fix: 'Give every panel its own positive integer id.',
  },
  'panel-title-description': {
    title: 'A panel without a title or description',
    cause: 'The person on call reads the panel at 3 a.m.: the title says what it shows, the description what it means.',
    fix: regenerate,
  },
  'panel-units': {
    title: 'A panel without a unit, or a unit Grafana does not know',
    cause: 'Without a unit, 0.2 seconds and 200 ms read alike and bytes are not scaled; an unknown unit is shown as a plain number.',
    fix: 'Give the panel a Grafana unit (`s`, `percentunit`, `bytes`, `reqps`, …).',
  },
  'panel-datasource': {
    title: 'A panel reads a fixed data source',
    cause: 'A panel that names a data source instead of `${datasource}` ignores the dashboard’s data source variable.',
    fix: 'Read `${datasource}`.',
  },
  'panel-legend': {
    title: 'A panel hides its legend',
    cause: `Series of ${derived} are told apart by their legend.`,
    fix: regenerate,
  },
  'panel-no-targets': {
    title: 'A panel without a query',
    cause: 'A panel with no query shows nothing.',
    fix: 'Add a query, or remove the panel.',
  },
  'target-datasource': {
    title: 'A query reads a fixed data source',
    cause: 'A query that names a data source instead of `${datasource}` ignores the dashboard’s data source variable.',
    fix: 'Read `${datasource}`.',
  },
  'target-promql': {
    title: 'A query is not valid PromQL',
    cause: 'Prometheus rejects the query, and the panel shows an error.',
    fix: 'Correct the expression the message names.',
  },
  'target-rate-interval': {
    title: 'A rate window that is not $__rate_interval',
    cause:
      'A fixed window is empty when zoomed in past the scrape interval and hides spikes when zoomed out; `$__rate_interval` follows the zoom and always spans enough scrapes.',
    fix: 'Read rates over `[$__rate_interval]`.',
  },
  'target-series': {
    title: 'A query reads a series nobody defines or records',
    cause:
      'The metric is neither declared in the definitions nor written by a generated recording rule: a typo, or a rule that was removed while a panel still reads it. The panel would show "No data".',
    fix: 'Read a declared metric or a recording rule that exists (the message names the series), or declare the metric (`metrics` of `promql`).',
  },
  'target-label': {
    title: 'A query selects a label its metric does not have',
    cause: 'The metric is declared without that label, so the selector matches nothing.',
    fix: 'Use one of the labels the message lists, or declare the label on the metric.',
  },
  'target-counter': {
    title: 'A query reads a counter by its raw value',
    cause: 'A counter only grows and resets on restart: its value is meaningless on a graph; its rate is what changes.',
    fix: 'Read it through `rate()`, `irate()` or `increase()`.',
  },
} satisfies Record<string, LintRule>;

export type DashboardLintRule = keyof typeof rules;

/** The lint's kinds by rule name: `dashboard-lint/<rule>`; each words its message as the lint gives it. */
export const dashboardLint = Object.fromEntries(
  Object.entries(rules).map(([rule, doc]) => [rule, findingKind({ id: `dashboard-lint/${rule}`, ...doc }, (message: string) => message)]),
) as Record<DashboardLintRule, FindingKind<[message: string]>>;
