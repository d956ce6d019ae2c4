import type { ServiceTier } from '../../model/service.ts';
import type { WriteContext } from '../importer.ts';
import { relativeSpecifier } from '../metrics.ts';
import { call, Code, code, Identifiers, Module, monforgeSpecifier, propertyKey, stringLiteral } from '../typescript.ts';
import { ownMatchers, type MetricUse, type ServicePlan } from './plan.ts';
import type { SelectorSpec } from './sli.ts';
import type { ImportedSlo } from './types.ts';

// The TypeScript a person would have typed for the imported SLOs: one module per service
// (its SLOs from every spec that names it), metrics from the import's shared declarations,
// the helpers' own spelling of every matcher and bound, and what did not carry over as a
// comment above the SLO it concerns.

export interface ServiceOwner {
  readonly team: string;
  readonly tier: ServiceTier;
}

export interface SloModulesInput {
  readonly services: readonly ServicePlan[];
  readonly owners: ReadonlyMap<string, ServiceOwner>;
  /** Histograms the project does not declare yet: this import declares them. */
  readonly histograms: readonly MetricUse[];
  /** What did not carry over, per SLO. */
  readonly notes: ReadonlyMap<ImportedSlo, readonly string[]>;
}

const helpers = { '=': undefined, '!=': 'not', '=~': 're', '!~': 'notRe' } as const;

/** What a service module imports from monforge: its service's identifier must not be one of them. */
const apiNames = ['defineService', 'select', 'not', 're', 'notRe', 'ratioSlo', 'latencySlo', 'gaugeSlo'];

/** The modules of the imported SLOs: `<service>-slos.ts` each, and `slo-histograms.ts` for histograms to declare. */
export function sloModules(input: SloModulesInput, context: WriteContext): Module[] {
  const modules: Module[] = [];
  const names = new Identifiers(context.metrics.identifiersInUse());
  const histogramNames = new Map<string, string>();
  let histogramFile: string | undefined;
  if (input.histograms.length > 0) {
    const module = new Module(context.claimFile('slo-histograms.ts'), [
      'Histograms the imported SLOs read, declared once.',
      'Yours now: add help texts, and the buckets the exporters have besides the SLO thresholds.',
    ]);
    for (const histogram of input.histograms) {
      const name = names.claim(histogram.name);
      histogramNames.set(histogram.name, name);
      module.exportConst(
        name,
        call(module.use(monforgeSpecifier, 'histogram'), {
          name: histogram.name,
          help: `Read by the SLOs imported from ${[...new Set(histogram.readBy.map((slo) => context.source(slo.origin.document.file)))].join(', ')}.`,
          ...(histogram.labels.length > 0 && { labels: histogram.labels }),
          // The specs show only the buckets their SLOs' thresholds are; the exporter has more.
          buckets: histogram.buckets,
        }),
      );
    }
    histogramFile = module.file;
    modules.push(module);
  }
  for (const service of input.services) {
    const sources = [...new Set(service.slos.map((slo) => `${context.source(slo.origin.document.file)} (${slo.origin.format})`))];
    const module = new Module(context.claimFile(`${service.name}-slos.ts`), context.header(sources));
    const metric = (name: string): string => {
      const own = histogramNames.get(name);
      return own === undefined ? context.metrics.reference(module, name) : module.use(relativeSpecifier(module.file, histogramFile!), own);
    };
    const owner = input.owners.get(service.name)!;
    const pinned = Object.keys(service.selector).length > 0;
    module.exportConst(
      new Identifiers([...apiNames, ...context.metrics.identifiersInUse(), ...histogramNames.values()]).claim(service.name),
      call(module.use(monforgeSpecifier, 'defineService'), {
        name: service.name,
        team: owner.team,
        tier: owner.tier,
        selector: service.selector,
        // The imported SLOs read series scraped by jobs defined elsewhere.
        scrape: false,
        ...(!pinned && { optOut: { absent: 'its SLIs select no job: there are no targets to watch' } }),
        slos: service.slos.map((slo) => sloCode(slo, service, module, metric, input.notes.get(slo) ?? [])),
      }),
    );
    modules.push(module);
  }
  return modules;
}

function selectCode(selector: SelectorSpec, service: ServicePlan, module: Module, metric: (name: string) => string): Code {
  const reference = metric(selector.metric);
  const select = module.use(monforgeSpecifier, 'select');
  const matchers = ownMatchers(selector, service.selector).map((m) => {
    const helper = helpers[m.op];
    const value = stringLiteral(m.value);
    return `${propertyKey(m.label)}: ${helper ? `${module.use(monforgeSpecifier, helper)}(${value})` : value}`;
  });
  return code(`${select}(${reference}${matchers.length > 0 ? `, { ${matchers.join(', ')} }` : ''})`);
}

function sloCode(slo: ImportedSlo, service: ServicePlan, module: Module, metric: (name: string) => string, notes: readonly string[]): Code {
  const select = (selector: SelectorSpec): Code => selectCode(selector, service, module, metric);
  const { sli } = slo;
  let helper: string;
  let reads: Record<string, unknown>;
  if (sli.kind === 'latency') {
    helper = 'latencySlo';
    reads = { histogram: select(sli.histogram), threshold: sli.threshold };
  } else if (sli.kind === 'gauge') {
    helper = 'gaugeSlo';
    reads = { gauge: select(sli.gauge), good: sli.good === 'value' ? 'value' : { [sli.good.kind]: sli.good.value } };
  } else {
    helper = 'ratioSlo';
    reads =
      'errors' in sli ? { errors: select(sli.errors), total: select(sli.total) } : { good: select(sli.good), total: select(sli.total) };
  }
  const made = call(module.use(monforgeSpecifier, helper), {
    name: slo.name,
    description: slo.description,
    objective: slo.objective,
    window: slo.window,
    ...reads,
    labels: slo.labels,
    alertName: slo.alertName,
    annotations: slo.annotations,
    tiers: slo.tiers,
  });
  if (notes.length === 0) return made;
  // What did not carry over, above the SLO it concerns.
  return new Code((indent, used) => `${notes.map((note) => `// ${note}\n${' '.repeat(indent)}`).join('')}${made.at(indent, used)}`);
}
