import { pascalCase } from '../model/alert-names.ts';
import type { FileSet } from '../output/fileset.ts';
import { digest } from '../cache/result-cache.ts';
import { withoutHeader } from './prior.ts';

// Services stamped from one template compile to test and rule files that are the same up to
// the service's names: a thousand services may have a handful of shapes. promtool runs one
// test file per shape, and its verdict stands for every file of the shape, because a file of
// the shape is the shape's text with the service's names filled in, and what promtool decides
// does not depend on which names are filled in as long as the names are only ever compared
// for equality. That is what `eligible` makes sure of: no regular expression is applied to a
// label that can hold a name, and no template does more than print a label or format $value.

/** What a service's files are named after. */
export interface ServiceNames {
  readonly name: string;
  readonly team: string;
}

/** One file per group runs; its verdict stands for the others. */
export interface TestShape {
  readonly runs: string;
  readonly standsFor: readonly string[];
}

/** Marks a name's place in a shape: a control character no generated file holds. */
const mark = '\u0001';

/**
 * The spellings of a service's names in its files, each with its role: `svc-7`, `Svc7` (alert
 * names), `svc7` (runbook links), `svc_7`, then the team's. A spelling that two roles share
 * keeps the first, so services named alike get the same marks.
 */
function spellings(service: ServiceNames): Map<string, number> | undefined {
  const names = [service.name, service.team];
  // A name that could be part of the syntax around it could change what the file means.
  if (!names.every((name) => /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name) && /[A-Za-z]/.test(name) && name.length >= 3)) return undefined;
  const roles = new Map<string, number>();
  for (const form of names.flatMap((name) => [name, pascalCase(name), pascalCase(name).toLowerCase(), name.replaceAll('-', '_')]))
    if (!roles.has(form)) roles.set(form, roles.size);
  return roles;
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The template actions that print a label or format $value, the same for every name. */
const plainAction =
  /^\{\{-?\s*(?:\$value|\$labels\.\w+|\$externalLabels\.\w+|\$value\s*\|\s*humanize\w*|humanize\w*\s+\$value|printf\s+\\?"%[-+ #0]*\d*(?:\.\d+)?[fegd]\\?"\s+\$value)\s*-?\}\}$/;

/**
 * Whether promtool's verdict on the shape holds for every name filled in: every template action
 * is plain; no regular expression (a matcher, `label_replace`, `label_join`) reads a label that
 * holds a name anywhere in the files, nor holds one itself; and nothing orders series by their
 * labels (`sort`, `topk` and the like break ties by them).
 */
function eligible(shape: string): boolean {
  for (const action of shape.matchAll(/\{\{.*?\}\}/g)) if (!plainAction.test(action[0])) return false;
  if (/\b(?:label_replace|label_join|sort|sort_desc|topk|bottomk)\s*\(/.test(shape)) return false;
  const named = new Set<string>();
  for (const pair of shape.matchAll(/([A-Za-z_]\w*)\s*(?:=~|!~|!=|=|:)\s*\\?"?([^"\\\n,}{]*)/g))
    if (pair[2]!.includes(mark)) named.add(pair[1]!);
  // From each regex operator (few), its label before it on the line and its pattern after it.
  for (const operator of shape.matchAll(/[=!]~/g)) {
    const at = operator.index;
    const label = /([\w\u0001]*)\s*$/.exec(shape.slice(shape.lastIndexOf('\n', at) + 1, at))![1]!;
    const pattern = /^\s*\\?"((?:[^"\\\n]|\\.)*)/.exec(shape.slice(at + 2, shape.indexOf('\n', at) >>> 0))?.[1] ?? mark;
    if (label === '__name__' || label.includes(mark) || named.has(label) || pattern.includes(mark)) return false;
  }
  return true;
}

/**
 * The shape of a test file of one service, as a digest of its text and its rule files' (headers
 * aside) with the service's names marked; undefined when the verdict on the shape might not hold for other names.
 */
export function testShapeKey(text: string, ruleFiles: readonly [string, string | undefined][], service: ServiceNames): string | undefined {
  const roles = spellings(service);
  if (!roles) return undefined;
  // Longest first, so that no spelling is replaced inside a longer one.
  const forms = [...roles.keys()].sort((a, b) => b.length - a.length);
  const parts = [
    withoutHeader(text),
    ...ruleFiles.flatMap(([file, content]) => [file, content === undefined ? '' : withoutHeader(content)]),
  ];
  const whole = parts.join('\n\0\n');
  if (whole.includes(mark)) return undefined;
  const shape = whole.replace(new RegExp(forms.map(escaped).join('|'), 'g'), (form) => `${mark}${roles.get(form)}${mark}`);
  return eligible(shape) ? digest([shape]) : undefined;
}

/** The service a test file belongs to: `prometheus/tests/<service>.test.yml` or `<service>.<kind>.test.yml`. */
function ownerOf(file: string, services: ReadonlyMap<string, ServiceNames>): ServiceNames | undefined {
  const match = /^prometheus\/tests\/([^/.]+)(?:\.[^/.]+)?\.test\.yml$/.exec(file);
  return match ? services.get(match[1]!) : undefined;
}

/**
 * The test files grouped by shape, in path order: the first file of each group runs for the
 * group. Files that are no service's, or whose shape might not hold for other names, are
 * groups of their own.
 */
export function testShapes(
  tests: readonly string[],
  files: FileSet,
  ruleFilesOf: (test: string) => readonly string[],
  services: readonly ServiceNames[],
): TestShape[] {
  const byName = new Map(services.map((service) => [service.name, service]));
  const groups = new Map<string, string[]>();
  const alone: TestShape[] = [];
  for (const test of [...tests].sort()) {
    const service = ownerOf(test, byName);
    const key =
      service &&
      testShapeKey(
        files.get(test) ?? '',
        ruleFilesOf(test).map((file) => [file, files.get(file)]),
        service,
      );
    if (key === undefined) alone.push({ runs: test, standsFor: [] });
    else if (groups.has(key)) groups.get(key)!.push(test);
    else groups.set(key, [test]);
  }
  const shared = [...groups.values()].map(([runs, ...standsFor]) => ({ runs: runs!, standsFor }));
  return [...alone, ...shared].sort((a, b) => (a.runs < b.runs ? -1 : 1));
}
