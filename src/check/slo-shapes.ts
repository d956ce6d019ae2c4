import { ruleFilePath } from '../compile/prometheus/paths.ts';
import { sloGroupName, slowGroupName } from '../compile/prometheus/slo.ts';
import { canonicalSloRules, shapeExemplar, shapeRuleFilePath, sloShape } from '../compile/prometheus/slo-shape.ts';
import type { Platform } from '../model/platform.ts';
import type { Service } from '../model/service.ts';
import type { FileSet } from '../output/fileset.ts';
import type { RecordingRule } from '../reader/types.ts';
import { digest, type ResultCache } from '../cache/result-cache.ts';
import { parsedRuleFile, type RuleFileContent } from './rule-files.ts';

// The SLO wiring tests run once per shape, on the shape's exemplar rules (compile/prometheus/
// slo-shape.ts); a service's own tests assert only what differs. That holds only while every
// SLO's recording rules are its shape's up to names, selectors and the objective: checked here.

type Group = NonNullable<RuleFileContent['groups']>[number];

const recording = (group: Group): { name: string; interval?: string; rules: RecordingRule[] } => ({
  name: group.name,
  ...(group.interval !== undefined && { interval: group.interval }),
  rules: (group.rules ?? []).flatMap((rule) => (rule.record ? [{ record: rule.record, expr: rule.expr, labels: rule.labels ?? {} }] : [])),
});

/** The first line where two canonical rule sets differ, both sides shown. */
function firstDifference(ours: string, theirs: string): string {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  const at = a.findIndex((line, index) => line !== b[index]);
  const index = at < 0 ? a.length : at;
  return `${(a[index] ?? '(nothing)').trim()} where the shape has ${(b[index] ?? '(nothing)').trim()}`;
}

/** The canonical rules of each shape's file, by shape key; undefined when the file is missing. */
type ShapeRules = Map<string, string | undefined>;

/** One finding per SLO of the service whose recording rules in the compiled files are not its shape's. */
function serviceShapeFindings(service: Service, files: FileSet, shapes: ShapeRules): string[] {
  const findings: string[] = [];
  const path = ruleFilePath(service.name);
  const content = files.get(path);
  if (content === undefined) return [];
  const groups = parsedRuleFile(files, path).groups ?? [];
  for (const slo of service.slos ?? []) {
    const shape = sloShape(slo);
    const shapePath = shapeRuleFilePath(shape);
    if (!shapes.has(shape.key)) {
      const shapeContent = files.get(shapePath);
      const exemplar = shapeExemplar(shape);
      shapes.set(
        shape.key,
        shapeContent === undefined
          ? undefined
          : canonicalSloRules((parsedRuleFile(files, shapePath).groups ?? []).map(recording), exemplar.service, exemplar.slo),
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
  return findings;
}

const withSlos = (platform: Platform): Service[] => platform.services.filter((service) => service.slos?.length);

/** One finding per SLO whose recording rules in the compiled files are not its shape's. */
export function sloShapeFindings(platform: Platform, files: FileSet): string[] {
  const shapes: ShapeRules = new Map();
  return withSlos(platform).flatMap((service) => serviceShapeFindings(service, files, shapes));
}

/**
 * The same findings, each service's taken from the cache where it holds them for the same
 * definitions of its SLOs and the same bytes of its rule file and its shapes' files (parsing
 * them is most of what the check costs), and stored there when computed.
 */
export async function cachedSloShapeFindings(platform: Platform, files: FileSet, cache: ResultCache | undefined): Promise<string[]> {
  if (!cache) return sloShapeFindings(platform, files);
  const shapes: ShapeRules = new Map();
  const findings: string[] = [];
  for (const service of withSlos(platform)) {
    const path = ruleFilePath(service.name);
    const shapePaths = [...new Set(service.slos!.map((slo) => shapeRuleFilePath(sloShape(slo))))].sort();
    const key = digest([
      'slo shape findings',
      JSON.stringify({ name: service.name, selector: service.selector, slos: service.slos }),
      ...[path, ...shapePaths].flatMap((file) => [file, files.get(file) ?? '\0missing']),
    ]);
    const stored = await cache.get(key);
    const own = stored === undefined ? serviceShapeFindings(service, files, shapes) : (JSON.parse(stored) as string[]);
    if (stored === undefined) await cache.put(key, JSON.stringify(own));
    findings.push(...own);
  }
  return findings;
}
