import { type Code, call, json, lineWidth, print, raw } from './code.ts';
import { camelCase, metricCode, type MetricDeclaration } from './metrics.ts';

// The TypeScript files of an import: one per dashboard (its `defineDashboard`), one holding the
// metrics they read.

export interface DashboardSource {
  /** The dashboard's title, for names and comments. */
  readonly title: string;
  /** Where it came from, for the file's first comment: `dashboards/nodes.json`, `manifests/x.yaml › ConfigMap grafana-dashboard-nodes`. */
  readonly origin: string;
  readonly folder: string;
  /** The builder calls. */
  readonly builder: Code;
  /** Constants the builder names. */
  readonly constants: readonly (readonly [string, Code])[];
  /** SDK modules the builder names. */
  readonly modules: ReadonlySet<string>;
  /** The metrics its queries read. */
  readonly metrics: readonly MetricDeclaration[];
}

export interface FileNames {
  /** Specifier of the monforge package in the written files: `monforge`, or a path in this repository's tests. */
  readonly monforge: string;
  /** The metrics file, relative to the dashboards' folder: `./dashboard-metrics.ts`. */
  readonly metricsModule: string;
}

const sdk = (module: string): string => `import * as ${module} from '@grafana/grafana-foundation-sdk/${module}';`;

/** `kubernetes-compute-resources-cluster` from a title: the file's name. */
export const fileStem = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'dashboard';

/** The constant a dashboard is exported as: `kubernetesComputeResourcesCluster`. */
export const exportName = (title: string): string => camelCase(title);

/** `import { a, b } from 'x';`, one name a line when it is too long for one. */
const namedImport = (names: readonly string[], from: string): string => {
  const flat = `import { ${names.join(', ')} } from '${from}';`;
  return flat.length <= lineWidth ? flat : `import {\n${names.map((name) => `  ${name},`).join('\n')}\n} from '${from}';`;
};

/**
 * The parts of a dashboard's file, for a writer that gathers the imports itself: the SDK's
 * namespace imports, the constants, and `export const <name> = defineDashboard(…)` naming the
 * metrics by `metrics` (their identifiers in the file).
 */
export function dashboardStatements(
  dashboard: DashboardSource,
  name: string,
  metrics: readonly string[],
): { sdkImports: string[]; constants: string[]; definition: string } {
  const definition = call('defineDashboard', [
    {
      kind: 'object',
      entries: [
        ['folder', json(dashboard.folder)],
        ...(metrics.length > 0 ? [['metrics', { kind: 'array', items: [...metrics].sort().map(raw) }] as [string, Code]] : []),
        ['build', { kind: 'arrow', body: dashboard.builder }],
      ],
    },
  ]);
  return {
    sdkImports: [...dashboard.modules].sort().map(sdk),
    constants: dashboard.constants.map(([constant, value]) => `const ${constant} = ${print(value)};`),
    definition: `export const ${name} = ${print(definition)};`,
  };
}

/** A dashboard's whole file, its metrics imported from the metrics module. */
export function dashboardFile(dashboard: DashboardSource, names: FileNames, name = exportName(dashboard.title)): string {
  const metrics = dashboard.metrics.map((metric) => metric.identifier).sort();
  const { sdkImports, constants, definition } = dashboardStatements(dashboard, name, metrics);
  return [
    `// ${dashboard.title}: imported from ${dashboard.origin} by monforge import.`,
    ...sdkImports,
    `import { defineDashboard } from '${names.monforge}';`,
    ...(metrics.length > 0 ? [namedImport(metrics, names.metricsModule)] : []),
    '',
    ...constants,
    ...(constants.length > 0 ? [''] : []),
    definition,
    '',
  ].join('\n');
}

/** The metrics file: each metric once, with the dashboards that read it. */
export function metricsFile(metrics: readonly MetricDeclaration[], names: Pick<FileNames, 'monforge'>): string {
  const kinds = [...new Set(metrics.map((metric) => metric.kind))].sort();
  return [
    '// Metrics the imported dashboards read, declared once: the dashboard lint checks every series and',
    '// label their queries select against these. Add units and a real help text where you know them.',
    namedImport(kinds, names.monforge),
    '',
    ...metrics.flatMap((metric) => [`export const ${metric.identifier} = ${print(metricCode(metric))};`]),
    '',
  ].join('\n');
}
