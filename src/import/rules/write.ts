import type { AlertCase } from '../../model/rule-group.ts';
import type { WriteContext } from '../importer.ts';
import { apiNames, relativeSpecifier } from '../metrics.ts';
import { call, type Code, code, Identifiers, Module, monforgeSpecifier, print } from '../typescript.ts';
import type { Owner } from './owner.ts';
import type { SourceGroup, SourceRule } from './read.ts';

/** A group ready to print: its owner, and per rule its expression and tests. */
export interface GroupToWrite {
  readonly group: SourceGroup;
  readonly owner: Owner;
  readonly expr: (rule: SourceRule) => (module: Module) => Code;
  readonly tests: (rule: SourceRule) => { readonly tests?: readonly AlertCase[]; readonly untested?: string };
}

/** One module per source object (PrometheusRule, rule file, ruler namespace), its groups in order, one export each. */
export function ruleModules(groups: readonly GroupToWrite[], context: WriteContext): Module[] {
  const bySource = new Map<string, GroupToWrite[]>();
  for (const each of groups) {
    const key = `${each.group.document.file}\0${each.group.origin}`;
    bySource.set(key, [...(bySource.get(key) ?? []), each]);
  }
  return [...bySource.values()].flatMap((held) => {
    const { group: first } = held[0]!;
    const source = `${context.source(first.document.file)} (${first.origin})`;
    const module = new Module(context.claimFile(`${first.stem}.ts`), context.header([source]));
    // The promtool cases of its alerts beside it, so that the rules read like the source.
    const testModule = new Module(context.claimFile(`${first.stem}.tests.ts`), [
      `promtool cases of the alerts of ${module.file}, each verified by promtool on import.`,
      'Change them with the rules they test.',
    ]);
    const testNames = new Identifiers(['AlertCase']);
    const testsOf = (name: string, cases: readonly AlertCase[]): Code => {
      const identifier = testNames.claim(name);
      const type = testModule.useType(monforgeSpecifier, 'AlertCase');
      testModule.add(`export const ${identifier}: ${type}[] = ${print(cases, 0, `export const ${identifier}: ${type}[] = `.length)};`);
      return code(`${module.use(relativeSpecifier(module.file, testModule.file), 'tests', true)}.${identifier}`);
    };
    // Export names never shadow what the module imports: the API's helpers, the metrics, the tests.
    const names = new Identifiers([...apiNames, 'tests', ...context.metrics.identifiersInUse()]);
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
          tests: cases && testsOf(rule.name, cases),
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
    return testNames.size > 1 ? [module, testModule] : [module];
  });
}
