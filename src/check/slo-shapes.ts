import { ruleFilePath } from '../compile/prometheus/paths.ts';
import { sloGroupName, slowGroupName } from '../compile/prometheus/slo.ts';
import { canonicalSloRules, shapeExemplar, shapeRuleFilePath, sloShape } from '../compile/prometheus/slo-shape.ts';
import type { Platform } from '../model/platform.ts';
import type { FileSet } from '../output/fileset.ts';
import { FileProblems } from '../reader/problems.ts';
import { parseRuleFile } from '../reader/rules.ts';
import type { RecordingRule, RuleGroup } from '../reader/types.ts';

// The SLO wiring tests run once per shape, on the shape's exemplar rules (compile/prometheus/
// slo-shape.ts); a service's own tests assert only what differs. That holds only while every
// SLO's recording rules are its shape's up to names, selectors and the objective: checked here.

const recording = (group: RuleGroup): { name: string; interval?: string; rules: RecordingRule[] } => ({
  name: group.name,
  ...(group.interval !== undefined && { interval: group.interval }),
  rules: group.rules.filter((rule): rule is RecordingRule => 'record' in rule),
});

/** The first line where two canonical rule sets differ, both sides shown. */
function firstDifference(ours: string, theirs: string): string {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  const at = a.findIndex((line, index) => line !== b[index]);
  const index = at < 0 ? a.length : at;
  return `${(a[index] ?? '(nothing)').trim()} where the shape has ${(b[index] ?? '(nothing)').trim()}`;
}

/** One finding per SLO whose recording rules in the compiled files are not its shape's. */
export function sloShapeFindings(platform: Platform, files: FileSet): string[] {
  const findings: string[] = [];
  const shapes = new Map<string, string | undefined>();
  for (const service of platform.services) {
    if (!service.slos?.length) continue;
    const path = ruleFilePath(service.name);
    const content = files.get(path);
    if (content === undefined) continue;
    const groups = parseRuleFile(path, content, new FileProblems(path)).groups;
    for (const slo of service.slos) {
      const shape = sloShape(slo);
      const shapePath = shapeRuleFilePath(shape);
      if (!shapes.has(shape.key)) {
        const shapeContent = files.get(shapePath);
        const exemplar = shapeExemplar(shape);
        shapes.set(
          shape.key,
          shapeContent === undefined
            ? undefined
            : canonicalSloRules(
                parseRuleFile(shapePath, shapeContent, new FileProblems(shapePath)).groups.map(recording),
                exemplar.service,
                exemplar.slo,
              ),
        );
      }
      const expected = shapes.get(shape.key);
      if (expected === undefined) {
        findings.push(`${path}: SLO "${slo.name}": ${shapePath}, the shape its wiring tests exercise, is missing`);
        continue;
      }
      const names = [sloGroupName(service, slo), slowGroupName(service, slo)];
      const own = canonicalSloRules(
        names.flatMap((name) => groups.filter((group) => group.name === name).map(recording)),
        service,
        slo,
      );
      if (own !== expected)
        findings.push(
          `${path}: SLO "${slo.name}": its recording rules are not those of ${shapePath}, whose wiring tests stand for them: ${firstDifference(own, expected)}`,
        );
    }
  }
  return findings;
}
