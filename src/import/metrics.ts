import path from 'node:path';
import * as api from '../index.ts';
import type { Metric, MetricKind } from '../model/metric.ts';
import { call, Identifiers, Module, monforgeSpecifier } from './typescript.ts';

/** A metric the project already declares: imported selectors of its name use it. */
export interface DeclaredMetric {
  /** The definitions file that exports it, relative to the project root. */
  readonly file: string;
  readonly exportName: string;
  readonly metric: Metric;
}

interface Use {
  readonly labels: Set<string>;
  /** The labels of uses that define something (a rule's selector), which the declaration must have. */
  readonly required: Set<string>;
  counter: boolean;
  readonly readBy: Set<string>;
}

/** Every name the definition API exports: written modules import some, and no declaration may shadow one. */
export const apiNames: readonly string[] = Object.keys(api);

/** The file of the metric declarations an import writes, relative to its output folder. */
export const metricsModuleFile = 'metrics.ts';

/**
 * Every metric the imported inputs read, declared once: the label names are those of every
 * selector that names it, the kind `counter` when it ends in `_total` or is read as one (inside
 * `rate`, `increase`, …), else `gauge`. Metrics the project declares already are used from
 * where they are. Importers record uses while they convert; modules reference the metrics
 * when they are written, after every importer has converted.
 */
export class MetricCatalog {
  private readonly uses = new Map<string, Use>();

  constructor(
    private readonly declared: ReadonlyMap<string, DeclaredMetric>,
    /** The output folder, relative to the project root. */
    private readonly out: string,
  ) {}

  /**
   * A selector of `name` with the label names of its matchers; `counter` when it is read as a
   * counter. `reading`: only a dashboard reads it, which may match labels its targets carry
   * (`cluster`, `pod`): a declaration of the project without them is declared again, with them,
   * for the dashboards (see `reference`).
   */
  use(name: string, labels: Iterable<string>, options: { counter: boolean; readBy: string; reading?: boolean }): void {
    const use = this.uses.get(name) ?? {
      labels: new Set<string>(),
      required: new Set<string>(),
      counter: false,
      readBy: new Set<string>(),
    };
    for (const label of labels) {
      use.labels.add(label);
      if (!options.reading) use.required.add(label);
    }
    use.counter ||= options.counter;
    use.readBy.add(options.readBy);
    this.uses.set(name, use);
    this.cached = undefined;
  }

  /** The kind a metric is declared as, or will be. */
  kindOf(name: string): MetricKind | undefined {
    const known = this.declared.get(name);
    if (known) return known.metric.kind;
    const use = this.uses.get(name);
    return use && (use.counter || name.endsWith('_total') ? 'counter' : 'gauge');
  }

  /** Metrics the project declares without some label an imported selector uses: each is one line of why. */
  conflicts(): string[] {
    const found: string[] = [];
    for (const [name, use] of this.uses) {
      const known = this.declared.get(name);
      if (!known) continue;
      const missing = [...use.required].filter((label) => !known.metric.labels.includes(label)).sort();
      if (missing.length > 0)
        found.push(
          `metric ${name} is declared in ${known.file} without the label${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that imported selectors use: add ${missing.length === 1 ? 'it' : 'them'} there and import again`,
        );
    }
    return found;
  }

  /**
   * The identifier of metric `name` in `module`, imported into it from where the metric is
   * declared; with `reading` (a dashboard's), from the metrics module when the project's
   * declaration lacks labels that dashboards match.
   */
  reference(module: Module, name: string, reading = false): string {
    const known = this.declared.get(name);
    if (known && !(reading && this.declaredAgain(name)))
      return module.use(relativeSpecifier(module.file, path.posix.relative(this.out, known.file)), known.exportName);
    return module.use(relativeSpecifier(module.file, metricsModuleFile), this.identifiers().get(name)!);
  }

  /** Every identifier a module may import metrics as: module-level names must not take them. */
  identifiersInUse(): string[] {
    return [...this.identifiers().values(), ...[...this.declared.values()].map((each) => each.exportName)];
  }

  /** The module declaring the metrics the project did not declare yet, or undefined when there are none. */
  module(header: readonly string[]): Module | undefined {
    const names = this.identifiers();
    if (names.size === 0) return undefined;
    const module = new Module(metricsModuleFile, header);
    for (const [name, identifier] of [...names].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const use = this.uses.get(name)!;
      const kind = this.kindOf(name)!;
      const known = this.declared.get(name);
      const labels = [...new Set([...(known?.metric.labels ?? []), ...use.labels])].sort();
      const readBy = [...use.readBy].sort().join(', ');
      module.use(monforgeSpecifier, kind);
      const also = known ? ` Declared in ${known.file} too, without labels that the dashboards match.` : '';
      module.exportConst(
        identifier,
        call(kind, {
          name,
          help: `Read by what was imported from ${readBy}.${also}`,
          ...(labels.length > 0 && { labels }),
        }),
      );
    }
    return module;
  }

  private cached: Map<string, string> | undefined;

  /** Whether the project declares `name` without some label that its uses match. */
  private declaredAgain(name: string): boolean {
    const known = this.declared.get(name);
    return known !== undefined && [...this.uses.get(name)!.labels].some((label) => !known.metric.labels.includes(label));
  }

  /** Metric name → identifier for the metrics to declare, assigned in name order so they never depend on use order. */
  private identifiers(): Map<string, string> {
    if (this.cached) return this.cached;
    const taken = new Identifiers(apiNames);
    this.cached = new Map(
      [...this.uses.keys()]
        .filter((name) => !this.declared.has(name) || this.declaredAgain(name))
        .sort()
        .map((name) => [name, taken.claim(name)]),
    );
    return this.cached;
  }
}

/** `./metrics.ts` from `node-exporter-rules.ts`, `../checkout.ts` from `imported/x.ts`. */
export function relativeSpecifier(from: string, to: string): string {
  const relative = path.posix.relative(path.posix.dirname(from), to);
  return relative.startsWith('.') ? relative : `./${relative}`;
}
