import type { WriteContext } from '../importer.ts';
import { Identifiers, Module, monforgeSpecifier } from '../typescript.ts';
import { call, json, modulesOf, print, raw } from './code.ts';
import type { ConvertedInput } from './convert.ts';
import { namedDatasources } from './convert-dashboard.ts';

// The TypeScript file of one imported dashboard: the SDK's modules as namespaces, the metrics its
// queries read from where they are declared, and `export const <name> = defineDashboard(…)`.

/** `kubernetes-compute-resources-cluster` from a title: the file's name. */
export const fileStem = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'dashboard';

/** The module of a converted dashboard; `source` names where it came from, for the header. */
export function dashboardModule(entry: ConvertedInput, source: string, context: WriteContext): Module {
  const module = new Module(context.claimFile(`${fileStem(entry.title)}.ts`), context.header([source]));
  const sdkModules = modulesOf(entry.result.builder);
  for (const name of [...sdkModules].sort()) module.use(`@grafana/grafana-foundation-sdk/${name}`, name, true);
  const define = module.use(monforgeSpecifier, 'defineDashboard');
  const metrics = [...new Set(entry.series.map((series) => series.name))]
    .map((name) => context.metrics.reference(module, name, true))
    .sort();
  // A data source reference used more than once is a constant; no name of the module may be taken twice.
  const taken = new Identifiers([...sdkModules, ...metrics, define]);
  const { code: builder, constants } = namedDatasources(entry.result.builder, taken);
  for (const [name, value] of constants) module.add(`const ${name} = ${print(value)};`);
  const definition = call(define, [
    {
      kind: 'object',
      entries: [
        ['folder', json(entry.folder)],
        ...(metrics.length > 0 ? [['metrics', { kind: 'array', items: metrics.map(raw) }] as const] : []),
        ['build', { kind: 'arrow', body: builder }],
      ],
    },
  ]);
  module.add(`export const ${taken.claim(entry.title)} = ${print(definition)};`);
  return module;
}
