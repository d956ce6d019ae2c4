import path from 'node:path';
import type { Conversion, Importer } from '../importer.ts';
import { typedExpr } from './expr.ts';
import { exactHelper, helperCode } from './helpers.ts';
import { inferOwner } from './owner.ts';
import { proveRules } from './prove.ts';
import { readGroups, ruleInputKind, type SourceGroup, type SourceRule } from './read.ts';
import { extraSeverities, severitiesModule } from './severities.ts';
import { testCases } from './tests.ts';
import { refuseWhatPromtoolRejects } from './validate.ts';
import { ruleModules, type GroupToWrite } from './write.ts';

/**
 * Prometheus rule files, PrometheusRule objects (also in multi-document files and Lists),
 * Mimir/Cortex ruler namespaces (`mimirtool rules print` and the `namespace:`/`groups:` files
 * it loads), and `promtool test rules` files whose alert tests are carried over.
 */
export const rulesImporter: Importer = {
  name: 'rules',
  reads: 'Prometheus rule files (groups:), PrometheusRule objects, Mimir/Cortex ruler namespaces, promtool test files',
  recognise: (document) => ruleInputKind(document.value),
  async convert(claimed, context): Promise<Conversion> {
    const groups: SourceGroup[] = [];
    const readable: SourceGroup[] = [];
    for (const each of claimed.filter((one) => one.kind !== 'promtool test file')) {
      const before = context.refusals();
      const read = readGroups(each.document, each.kind, context);
      groups.push(...read);
      // promtool would only repeat what reading refused already.
      if (context.refusals() === before) readable.push(...read);
    }
    await refuseWhatPromtoolRejects(readable, context);
    const toWrite: GroupToWrite[] = [];
    const exprs = new Map<SourceRule, ReturnType<typeof typedExpr>>();
    for (const group of groups) {
      for (const rule of group.rules) {
        const readBy = path.basename(group.document.file);
        const text = typedExpr(rule.expr, context.metrics, readBy);
        const helper = exactHelper(rule.expr);
        // A helper's `by` takes label names of its metrics: they are declared with them.
        for (const selector of helper?.selectors ?? []) context.metrics.use(selector.name!, helper!.by, { counter: false, readBy });
        // A typed helper where the expression is exactly one, and its metrics are of the kind it takes.
        exprs.set(rule, (module) => (helper && helperCode(helper, module, context.metrics)) || text(module));
      }
    }
    const severities = extraSeverities(groups, context);
    // Group names each service has: the project's own, then those of this import as they are owned.
    const taken = new Set((context.project.platform.ruleGroups ?? []).map((group) => `${group.service}\0${group.name}`));
    const owners = new Map(groups.map((group) => [group, inferOwner(group, context, taken)]));
    // Nothing will be written: spare the synthesis, and report every refusal at once.
    if (context.refusals() > 0) return { modules: () => [] };
    const tests = await testCases(
      groups,
      claimed.filter((each) => each.kind === 'promtool test file').map((each) => each.document),
      (group) => owners.get(group)?.service,
      context,
    );
    for (const group of groups) {
      const owner = owners.get(group);
      if (owner) toWrite.push({ group, owner, expr: (rule) => exprs.get(rule)!, tests: (rule) => tests.of(rule) });
    }
    return {
      modules: (writeContext) => [...severitiesModule(severities, writeContext), ...ruleModules(toWrite, writeContext)],
      prove: async (project) => [proveRules(groups, project), tests.summary()],
    };
  },
};
