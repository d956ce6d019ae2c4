import { severities, type Severity } from '../../model/severity.ts';
import type { ImportContext, WriteContext } from '../importer.ts';
import { call, Module, monforgeSpecifier } from '../typescript.ts';
import type { SourceGroup } from './read.ts';

/** Severity words of other conventions, by the severity they mean. */
const synonyms: Readonly<Record<Severity, readonly string[]>> = {
  critical: ['page', 'pager', 'paging', 'emergency', 'fatal', 'disaster', 'p0', 'p1', 'sev0', 'sev1', 'sev-1', 'blocker'],
  high: ['error', 'major', 'urgent', 'p2', 'sev2', 'sev-2', 'severe'],
  warning: ['warn', 'minor', 'medium', 'moderate', 'average', 'p3', 'sev3', 'sev-3'],
  info: ['none', 'low', 'notice', 'debug', 'ok', 'informational', 'information', 'ticket', 'p4', 'p5', 'sev4', 'sev5'],
};

/**
 * The severity label values of the groups that are not monforge's four, each mapped to the one it
 * means: a known synonym, else warning (reported as a guess). A value the project's own
 * defineSeverities maps already is left to it.
 */
export function extraSeverities(groups: readonly SourceGroup[], context: ImportContext): Map<string, Severity> {
  const declared = context.project.platform.severities;
  const found = new Map<string, Severity>();
  for (const group of groups) {
    for (const rule of group.rules) {
      const value = rule.kind === 'alert' ? rule.labels?.severity : undefined;
      if (value === undefined || (severities as readonly string[]).includes(value) || declared?.map[value] || found.has(value)) continue;
      if (declared) {
        context.refuse({
          file: declared.source,
          object: 'severities',
          reason: `severity "${value}" of alert ${rule.name} (${rule.at}) is not declared: add it to this defineSeverities and import again`,
        });
        continue;
      }
      const meant = severities.find((severity) => synonyms[severity].includes(value.toLowerCase()));
      found.set(value, meant ?? 'warning');
      const users = group.rules.filter((each) => each.labels?.severity === value).map((each) => each.name);
      context.infer(
        `severity "${value}" (${[...new Set(users)].join(', ')}) is treated as ${meant ?? 'warning'}${meant ? '' : ' (a guess: say otherwise in severities.ts)'}`,
      );
    }
  }
  return found;
}

/** `severities.ts`: the defineSeverities of the values found, or nothing when there are none. */
export function severitiesModule(found: ReadonlyMap<string, Severity>, context: WriteContext): Module[] {
  if (found.size === 0) return [];
  const module = new Module(context.claimFile('severities.ts'), [
    'Severity label values of the imported rules beyond critical, high, warning and info,',
    'each with the severity monforge treats it as. Rules keep their own value.',
  ]);
  const define = module.use(monforgeSpecifier, 'defineSeverities');
  module.exportConst('severities', call(define, Object.fromEntries([...found].sort(([a], [b]) => (a < b ? -1 : 1)))));
  return [module];
}
