import path from 'node:path';
import { ruleGroupAlertLabels } from '../../compile/prometheus/rule-groups.ts';
import type { RouteTest } from '../../model/route-tree.ts';
import { severities } from '../../model/severity.ts';
import { matchRoutes, routeOptions } from '../../route-evaluator/evaluate.ts';
import { type InputDocument, parseEmbedded } from '../document.ts';
import type { Claimed, Conversion, ImportContext, Importer } from '../importer.ts';
import { call, Module, monforgeSpecifier } from '../typescript.ts';
import { impliedLabelSets, treeSeverities } from './label-sets.ts';
import { proveRouting, readOriginal } from './prove.ts';
import { readAlertmanager, type Reading } from './read.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The key of an Alertmanager Secret that holds the configuration (the Prometheus Operator's, and Helm charts'). */
const configKeys = ['alertmanager.yaml', 'alertmanager.yml'];

function secretKey(value: Json): { field: 'stringData' | 'data'; key: string } | undefined {
  for (const field of ['stringData', 'data'] as const) {
    const held = value[field];
    if (!isObject(held)) continue;
    const key = configKeys.find((each) => typeof held[each] === 'string');
    if (key) return { field, key };
  }
  return undefined;
}

/** alertmanager.yml, and the Alertmanager Secret (`alertmanager.yaml` in `stringData`, or base64 in `data`). */
export const alertmanagerImporter: Importer = {
  name: 'alertmanager',
  reads: 'alertmanager.yml, Alertmanager Secrets (alertmanager.yaml in data or stringData)',
  recognise({ value }) {
    if (!isObject(value)) return undefined;
    if (value.kind === 'Secret' && value.apiVersion === 'v1') return secretKey(value) ? 'Alertmanager Secret' : undefined;
    if ('kind' in value || 'apiVersion' in value) return undefined;
    return 'route' in value && ('receivers' in value || 'global' in value) ? 'alertmanager.yml' : undefined;
  },
  async convert(claimed, context): Promise<Conversion> {
    const configs = claimed.flatMap((each) => configDocuments(each, context));
    const existing = context.project.platform.routeTree;
    if (existing) {
      for (const { document } of configs)
        context.refuseAt(
          document,
          [],
          document.where,
          `the project has a route tree already (${existing.source}): import one Alertmanager configuration`,
        );
      return { modules: () => [] };
    }
    for (const extra of configs.slice(1))
      context.refuseAt(
        extra.document,
        [],
        extra.document.where,
        `a second Alertmanager configuration (the first is ${configs[0]!.document.at([])}): import one`,
      );
    const first = configs[0];
    const reading = first && readAlertmanager(first.document, first.object, context);
    if (!first || !reading) return { modules: () => [] };
    const original = readOriginal(reading.expected);
    const labelSets = impliedLabelSets(original.route, [...new Set([...treeSeverities(original.route), ...severities])]);
    const tests: RouteTest[] = labelSets.map((labels) => ({
      labels,
      receivers: matchRoutes(original.route, labels).map((match) => routeOptions(match).receiver),
    }));
    context.note('route tests', `${tests.length} label sets the tree implies, each with the receivers the original reaches`);
    return {
      modules: (write) => [routeTreeModule(first, { ...reading, tree: { ...reading.tree, tests } }, write)],
      prove: async (project) => {
        // The imported alerts' own label sets walk the tree too, at every severity they have.
        const alerts = ruleGroupAlertLabels(project.platform);
        return [await proveRouting(reading.expected, [...labelSets, ...alerts], project, context.scratch)];
      },
    };
  },
};

interface ConfigDocument {
  readonly document: InputDocument;
  /** What the configuration is, for messages: `Secret monitoring/alertmanager-main`, `alertmanager.yml`. */
  readonly object: string;
  /** The written file's name. */
  readonly stem: string;
}

/** The configuration document of a claimed input: itself, or what a Secret holds. */
function configDocuments({ document, kind }: Claimed, context: ImportContext): ConfigDocument[] {
  const value = document.value as Json;
  const stem = path.basename(document.file).replace(/\.(ya?ml|json)$/, '');
  if (kind !== 'Alertmanager Secret') return [{ document, object: 'alertmanager.yml', stem }];
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : stem;
  const object = `Secret ${typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : ''}${name}`;
  const { field, key } = secretKey(value)!;
  const raw = (value[field] as Json)[key] as string;
  const text = field === 'data' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const parsed = parseEmbedded(document, [field, key], text);
  for (const problem of parsed.problems) context.refuse({ file: problem.file, line: problem.line, object, reason: problem.message });
  if (parsed.documents.length !== 1) {
    if (parsed.problems.length === 0) context.refuseAt(document, [field, key], object, `${field}.${key} must hold one YAML document`);
    return [];
  }
  return [{ document: parsed.documents[0]!, object, stem: name }];
}

function routeTreeModule(config: ConfigDocument, reading: Reading, write: Parameters<Conversion['modules']>[0]): Module {
  const module = new Module(
    write.claimFile(`${config.stem}.ts`),
    write.header([`${write.source(config.document.file)} (${config.object})`]),
  );
  const define = module.use(monforgeSpecifier, 'defineRouteTree');
  module.exportConst('routeTree', call(define, reading.tree));
  return module;
}
