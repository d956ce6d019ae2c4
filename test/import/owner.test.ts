import { describe, expect, it } from 'vitest';
import { parseDocuments } from '../../src/import/document.ts';
import type { ImportContext } from '../../src/import/importer.ts';
import { inferOwner } from '../../src/import/rules/owner.ts';
import { readGroups } from '../../src/import/rules/read.ts';

// Who owns an imported group: the service from its labels, its selectors' job or namespace, or
// what holds it; the team from its labels, --team or the project's only team. Every choice is
// reported as inferred.

function context(teams: string[], team?: string): { context: ImportContext; inferred: string[]; refused: string[] } {
  const inferred: string[] = [];
  const refused: string[] = [];
  const partial = {
    project: { root: '/', out: 'definitions/imported', platform: { teams: teams.map((name) => ({ name })) } },
    team,
    infer: (note: string) => void inferred.push(note),
    refuseAt: (_document: unknown, _path: unknown, object: string, reason: string) => void refused.push(`${object}: ${reason}`),
  };
  return { context: partial as unknown as ImportContext, inferred, refused };
}

const groupsOf = (file: string, text: string, kind = 'rule file') => {
  const { documents } = parseDocuments(file, text);
  return readGroups(documents[0]!, kind, context(['shop']).context);
};

describe('owners of imported groups', () => {
  it('takes the service from labels, then the job of the selectors, then what holds the group', () => {
    const groups = groupsOf(
      'node.rules.yml',
      [
        'groups:',
        '  - name: labelled',
        '    rules:',
        '      - { alert: A, expr: up == 0, labels: { service: Payments-API, team: data } }',
        '  - name: selected',
        '    rules:',
        '      - alert: B',
        '        expr: \'up{job="node-exporter"} == 0\'',
        '      - record: x',
        '        expr: \'sum(up{job="node-exporter"})\'',
        '  - name: plain',
        '    rules:',
        '      - { alert: C, expr: vector(1) }',
      ].join('\n'),
    );
    const { context: ctx, inferred } = context(['shop', 'data'], 'shop');
    const taken = new Set<string>();
    expect(groups.map((group) => inferOwner(group, ctx, taken))).toEqual([
      { service: 'payments-api', team: 'data' },
      { service: 'node-exporter', team: 'shop' },
      { service: 'node-rules', team: 'shop' },
    ]);
    expect(inferred).toEqual([
      'rule file node.rules › group "labelled": service "payments-api" (the service label of its rules), team "data" (the team label of its rules)',
      'rule file node.rules › group "selected": service "node-exporter" (the job its selectors name), team "shop" (--team)',
      'rule file node.rules › group "plain": service "node-rules" (the name of the rule file it is in), team "shop" (--team)',
    ]);
  });

  it('gives a group whose name its service has already a service of its own, and says so', () => {
    const [group] = groupsOf('b.yml', 'groups:\n  - name: general\n    rules:\n      - alert: A\n        expr: \'up{job="api"} == 0\'\n');
    const { context: ctx, inferred } = context(['shop']);
    expect(inferOwner(group!, ctx, new Set(['api\0general']))).toEqual({ service: 'api-b', team: 'shop' });
    expect(inferred).toEqual([
      'rule file b › group "general": service "api-b" (the job its selectors name, which has a group "general" already: named after the rule file it is in), team "shop" (the project\'s only team)',
    ]);
  });

  it('refuses a group no team owns, and a --team the project does not have', () => {
    const [group] = groupsOf('c.yml', 'groups:\n  - name: g\n    rules: [{ alert: A, expr: up == 0, labels: { team: sre } }]\n');
    const none = context(['shop', 'data']);
    expect(inferOwner(group!, none.context, new Set())).toBeUndefined();
    expect(none.refused).toEqual([
      'rule file c › group "g": no team owns it (its team label "sre" is not a team of the project): pass --team NAME',
    ]);
    const unknown = context(['shop'], 'payments');
    expect(inferOwner(group!, unknown.context, new Set())).toBeUndefined();
    expect(unknown.refused).toEqual(['rule file c › group "g": team "payments" is not defined in the project (known: shop)']);
  });
});
