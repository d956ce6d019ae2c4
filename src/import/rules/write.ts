import type { AlertCase } from '../../model/rule-group.ts';
import type { WriteContext } from '../importer.ts';
import { call, type Code, Identifiers, Module, monforgeSpecifier } from '../typescript.ts';
import type { Owner } from './owner.ts';
import type { SourceGroup, SourceRule } from './read.ts';

/** A group ready to print: its owner, and per rule its expression and tests. */
export interface GroupToWrite {
  readonly group: SourceGroup;
  readonly owner: Owner;
  readonly expr: (rule: SourceRule) => (module: Module) => Code;
  readonly tests: (rule: SourceRule) => { readonly tests?: readonly AlertCase[]; readonly untested?: string };
}

const apiNames = ['alert', 'record', 'defineRuleGroup', 'select', 'not', 're', 'notRe', 'pql'];

/** One module per source object (PrometheusRule, rule file, ruler namespace), its groups in order, one export each. */
export function ruleModules(groups: readonly GroupToWrite[], context: WriteContext): Module[] {
  const bySource = new Map<string, GroupToWrite[]>();
  for (const each of groups) {
    const key = `${each.group.document.file}\0${each.group.origin}`;
    bySource.set(key, [...(bySource.get(key) ?? []), each]);
  }
  return [...bySource.values()].map((held) => {
    const { group: first } = held[0]!;
    const module = new Module(
      context.claimFile(`${first.stem}.ts`),
      context.header([`${context.source(first.document.file)} (${first.origin})`]),
    );
    // Export names never shadow what the module imports: the API's helpers, the metrics.
    const names = new Identifiers([...apiNames, ...context.metrics.identifiersInUse()]);
    for (const { group, owner, expr, tests } of held) {
      const define = module.use(monforgeSpecifier, 'defineRuleGroup');
      const rules = group.rules.map((rule) => {
        const fn = module.use(monforgeSpecifier, rule.kind === 'alert' ? 'alert' : 'record');
        const printed = expr(rule)(module);
        if (rule.kind === 'record') return call(fn, { name: rule.name, expr: printed, labels: rule.labels });
        const { tests: cases, untested } = tests(rule);
        return call(fn, {
          name: rule.name,
          expr: printed,
          for: rule.for,
          keepFiringFor: rule.keepFiringFor,
          labels: rule.labels,
          annotations: rule.annotations,
          tests: cases?.map((test) => ({ ...test, series: test.series.map((each) => ({ ...each })) })),
          untested,
        });
      });
      module.exportConst(
        names.claim(group.name),
        call(define, {
          name: group.name,
          service: owner.service,
          team: owner.team,
          interval: group.interval,
          limit: group.limit,
          rules,
        }),
      );
    }
    return module;
  });
}
