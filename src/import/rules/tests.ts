import type { AlertCase } from '../../model/rule-group.ts';
import type { InputDocument } from '../document.ts';
import type { ImportContext, ProofPart } from '../importer.ts';
import type { SourceGroup, SourceRule } from './read.ts';

export interface TestCases {
  of(rule: SourceRule): { readonly tests?: readonly AlertCase[]; readonly untested?: string };
  summary(): ProofPart;
}

export async function testCases(
  groups: readonly SourceGroup[],
  _files: readonly InputDocument[],
  _context: ImportContext,
): Promise<TestCases> {
  const alerts = groups.flatMap((group) => group.rules.filter((rule) => rule.kind === 'alert'));
  return {
    of: () => ({ untested: 'not synthesised yet' }),
    summary: () => ({
      summary: `0 alerts with a firing case, ${alerts.length} untested (listed)`,
      ok: true,
      details: alerts.map((rule) => rule.name),
    }),
  };
}
