import path from 'node:path';
import type { Conversion, Importer } from '../importer.ts';
import { typedExpr } from './expr.ts';
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
    const groups: SourceGroup[] = claimed
      .filter((each) => each.kind !== 'promtool test file')
      .flatMap((each) => readGroups(each.document, each.kind, context));
    await refuseWhatPromtoolRejects(groups, context);
    const toWrite: GroupToWrite[] = [];
    const exprs = new Map<SourceRule, ReturnType<typeof typedExpr>>();
    for (const group of groups) {
      for (const rule of group.rules) exprs.set(rule, typedExpr(rule.expr, context.metrics, path.basename(group.document.file)));
    }
    const severities = extraSeverities(groups, context);
    const owners = new Map(groups.map((group) => [group, inferOwner(group, context)]));
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
