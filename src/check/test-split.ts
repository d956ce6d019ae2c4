import type { FileSet } from '../output/fileset.ts';
import { withoutHeader } from './prior.ts';

// promtool evaluates every rule group of a test file's rule files at every step of every test
// group, so a service's threshold alerts are tested with its SLOs' dozens of recording rules
// evaluated alongside, for nothing: rules only meet through the series they write (and
// ALERTS). A test file is split into files whose test groups load only the rule groups they
// read, the groups' text taken as it is from the rule file: the same rules, evaluated in the
// same order, on the same series. The split files run in its place; if one fails, the file
// runs whole, for promtool's own account of it.

/** The rule groups of a generated rule file: their text as written, what they define and read. */
interface GroupBlock {
  readonly name: string;
  readonly text: string;
  /** The alert names and recorded series it defines. */
  readonly defines: readonly string[];
}

/** Top-level list items of a block sequence at indent 2 (`  - `), as our emitter writes them. */
function listItems(body: string): string[] | undefined {
  if (!body.startsWith('  - ')) return undefined;
  const items = body.split(/\n(?= {2}- )/);
  // Anything at the top level after the list, or a list item of another indent, is not ours.
  return items.every((item) => !/\n(?! {3}| {2}- |$)/.test(item))
    ? items.map((item) => (item.endsWith('\n') ? item : `${item}\n`))
    : undefined;
}

const token = /[A-Za-z_:][\w:]*/g;
const tokensOf = (text: string): Set<string> => new Set(text.match(token) ?? []);

/**
 * Whether a text reads series other than by their names: a selector of labels only, `__name__`,
 * or ALERTS (written by every alert). Such a text needs every group.
 */
function readsAnything(text: string): boolean {
  if (/\b(?:__name__|ALERTS|ALERTS_FOR_STATE)\b/.test(text)) return true;
  for (const line of text.matchAll(/^\s*(?:- )?expr: (.*)$/gm)) {
    const expr = yamlScalar(line[1]!);
    if (expr === undefined) return true;
    // Outside string literals, a brace that follows no metric name opens a selector of labels only.
    if (/(?:^|[^\w:])\{/.test(expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""'))) return true;
  }
  return false;
}

/** A one-line YAML scalar's value; undefined for a block scalar or one that does not parse. */
function yamlScalar(value: string): string | undefined {
  if (/^[|>]/.test(value)) return undefined;
  if (value.startsWith("'")) return value.endsWith("'") ? value.slice(1, -1).replaceAll("''", "'") : undefined;
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return undefined;
  }
}

function groupBlocks(text: string): GroupBlock[] | undefined {
  const body = withoutHeader(text);
  if (!body.startsWith('groups:\n')) return undefined;
  const items = listItems(body.slice('groups:\n'.length));
  if (!items) return undefined;
  const blocks: GroupBlock[] = [];
  for (const item of items) {
    const name = /^ {2}- name: (?:"([^"\\]*)"|([^\s"'#][^\n]*))\n/.exec(item);
    if (!name) return undefined;
    // Any `alert:` or `record:` key counts: naming too many only loads a group more.
    const defines = [...item.matchAll(/^\s+(?:- )?(?:alert|record): "?([^"\s]+)"?\s*$/gm)].map((match) => match[1]!);
    blocks.push({ name: name[1] ?? name[2]!, text: item, defines });
  }
  return blocks;
}

/** The indices of the groups a text needs: those defining what it names, and theirs in turn. */
function neededGroups(text: string, blocks: readonly GroupBlock[]): Set<number> {
  const all = new Set(blocks.map((_, index) => index));
  if (readsAnything(text)) return all;
  const needed = new Set<number>();
  const pending = [tokensOf(text)];
  for (let names = pending.pop(); names; names = pending.pop()) {
    blocks.forEach((block, index) => {
      if (needed.has(index) || !block.defines.some((name) => names.has(name))) return;
      needed.add(index);
      pending.push(tokensOf(block.text));
    });
  }
  for (const index of needed) if (readsAnything(blocks[index]!.text)) return all;
  return needed;
}

/**
 * The files a test file splits into (path → text, tests and their rule files beside it), or
 * undefined when it cannot or need not be split: it is not as monforge writes it, loads other
 * than one rule file, or every test group needs every rule group.
 */
export function splitTestFile(test: string, files: FileSet): Map<string, string> | undefined {
  const text = withoutHeader(files.get(test) ?? '');
  const at = text.indexOf('\ntests:\n');
  const ruleFile = /^rule_files:\n {2}- (\S+)\n(?! {2}- )/.exec(text);
  if (at < 0 || !ruleFile) return undefined;
  const rulePath = `${test.slice(0, test.lastIndexOf('/') + 1)}${ruleFile[1]}`.split('/').reduce<string[]>((parts, part) => {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
    return parts;
  }, []);
  const blocks = groupBlocks(files.get(rulePath.join('/')) ?? '');
  const tests = listItems(text.slice(at + '\ntests:\n'.length));
  if (!blocks || !tests) return undefined;
  // Test groups that need the same rule groups run together, in their order.
  const units = new Map<string, { groups: number[]; tests: string[] }>();
  for (const item of tests) {
    const groups = [...neededGroups(item, blocks)].sort((a, b) => a - b);
    const key = groups.join(',');
    if (!units.has(key)) units.set(key, { groups, tests: [] });
    units.get(key)!.tests.push(item);
  }
  if ([...units.values()].every((unit) => unit.groups.length === blocks.length)) return undefined;
  const preamble = text.slice(ruleFile[0].length, at + 1);
  const split = new Map<string, string>();
  [...units.values()].forEach((unit, index) => {
    const base = `${test}.split/${index}`;
    const names = new Set(unit.groups.map((group) => blocks[group]!.name));
    // group_eval_order may name only loaded groups.
    const order = preamble.replace(/^group_eval_order:\n((?: {2}- .*\n)+)/m, (_, list: string) => {
      const kept = list.split('\n').filter((line) => line !== '' && names.has(line.slice(4).replace(/^"|"$/g, '')));
      return kept.length === 0 ? '' : `group_eval_order:\n${kept.join('\n')}\n`;
    });
    split.set(`${base}.rules.yml`, `groups:\n${unit.groups.map((group) => blocks[group]!.text).join('')}`);
    split.set(`${base}.test.yml`, `rule_files:\n  - ${index}.rules.yml\n${order}tests:\n${unit.tests.join('')}`);
  });
  return split;
}
