import type { FileSet } from '../output/fileset.ts';
import { withoutHeader } from './prior.ts';

// promtool evaluates every rule of a test file's rule files at every step of every test group,
// so a service's threshold alerts are tested with its SLOs' dozens of recording rules evaluated
// alongside, for nothing: rules only meet through the series they write (and ALERTS). A test
// file is split into files whose test groups load only the rules they read, each rule's text
// taken as it is from the rule file, in its group (name, interval and limit kept) and in its
// order: the same rules, evaluated in the same order, on the same series. The split files run
// in its place; if one fails, the file runs whole, for promtool's own account of it.

/** A rule of a generated rule file: its text as written, its group, what it defines. */
interface RuleBlock {
  readonly group: number;
  readonly text: string;
  /** The alert name or recorded series it defines (any `alert:`/`record:` key counts: too many only loads more). */
  readonly defines: readonly string[];
}

/** The groups of a generated rule file: each group's name and the text before its rules, and every rule. */
interface RuleFileBlocks {
  readonly groups: readonly { readonly name: string; readonly head: string }[];
  readonly rules: readonly RuleBlock[];
}

/** The items of a block sequence at `indent` (`  - `), as our emitter writes them. */
function listItems(body: string, indent = '  '): string[] | undefined {
  if (!body.startsWith(`${indent}- `)) return undefined;
  const items = body.split(new RegExp(`\\n(?=${indent}- )`));
  // Anything less indented after the list, or a list item of another indent, is not ours.
  const outside = new RegExp(`\\n(?!${indent} |$)`);
  return items.every((item) => !outside.test(item)) ? items.map((item) => (item.endsWith('\n') ? item : `${item}\n`)) : undefined;
}

const token = /[A-Za-z_:][\w:]*/g;
const tokensOf = (text: string): Set<string> => new Set(text.match(token) ?? []);

/**
 * Whether a text reads series other than by their names: a selector of labels only, `__name__`,
 * or ALERTS (written by every alert). Such a text needs every group.
 */
function readsAnything(text: string): boolean {
  if (/\b(?:__name__|ALERTS|ALERTS_FOR_STATE)\b/.test(text)) return true;
  for (const expr of expressions(text)) {
    if (expr === undefined) return true;
    // Outside string literals, a brace that follows no metric name opens a selector of labels only.
    if (/(?:^|[^\w:])\{/.test(expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""'))) return true;
  }
  return false;
}

/**
 * The value of each `expr:` of a text: a one-line scalar's, or a literal or folded block's lines
 * (those indented past the key: rules written by hand, or imported, spread PromQL over lines);
 * undefined for one that does not read plainly.
 */
function* expressions(text: string): Generator<string | undefined> {
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const key = /^(\s*(?:- )?)expr: (.*)$/.exec(line);
    if (!key) continue;
    if (!/^[|>][-+]?$/.test(key[2]!)) {
      yield yamlScalar(key[2]!);
      continue;
    }
    const body: string[] = [];
    for (const next of lines.slice(index + 1)) {
      if (next.trim() !== '' && /^ */.exec(next)![0].length <= key[1]!.length) break;
      body.push(next);
    }
    yield body.join('\n');
  }
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

function ruleBlocks(text: string): RuleFileBlocks | undefined {
  const body = withoutHeader(text);
  if (!body.startsWith('groups:\n')) return undefined;
  const items = listItems(body.slice('groups:\n'.length));
  if (!items) return undefined;
  const groups: RuleFileBlocks['groups'][number][] = [];
  const rules: RuleBlock[] = [];
  for (const item of items) {
    const name = /^ {2}- name: (?:"([^"\\]*)"|([^\s"'#][^\n]*))\n/.exec(item);
    // The group's keys, then its rules last: as monforge writes them.
    const at = item.indexOf('\n    rules:\n');
    const items = at < 0 ? undefined : listItems(item.slice(at + '\n    rules:\n'.length), '      ');
    if (!name || !items) return undefined;
    for (const rule of items)
      rules.push({
        group: groups.length,
        text: rule,
        defines: [...rule.matchAll(/^\s+(?:- )?(?:alert|record): "?([^"\s]+)"?\s*$/gm)].map((match) => match[1]!),
      });
    groups.push({ name: name[1] ?? name[2]!, head: item.slice(0, at + '\n    rules:\n'.length) });
  }
  return { groups, rules };
}

/** The indices of the rules a text needs: those defining what it names, and theirs in turn. */
function neededRules(text: string, rules: readonly RuleBlock[]): Set<number> {
  const all = new Set(rules.map((_, index) => index));
  if (readsAnything(text)) return all;
  const needed = new Set<number>();
  const pending = [tokensOf(text)];
  for (let names = pending.pop(); names; names = pending.pop()) {
    rules.forEach((rule, index) => {
      if (needed.has(index) || !rule.defines.some((name) => names.has(name))) return;
      needed.add(index);
      pending.push(tokensOf(rule.text));
    });
  }
  for (const index of needed) if (readsAnything(rules[index]!.text)) return all;
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
  const blocks = ruleBlocks(files.get(rulePath.join('/')) ?? '');
  const tests = listItems(text.slice(at + '\ntests:\n'.length));
  if (!blocks || !tests) return undefined;
  // Test groups that need the same rules run together, in their order.
  const units = new Map<string, { rules: number[]; tests: string[] }>();
  for (const item of tests) {
    const rules = [...neededRules(item, blocks.rules)].sort((a, b) => a - b);
    const key = rules.join(',');
    if (!units.has(key)) units.set(key, { rules, tests: [] });
    units.get(key)!.tests.push(item);
  }
  if ([...units.values()].every((unit) => unit.rules.length === blocks.rules.length)) return undefined;
  const preamble = text.slice(ruleFile[0].length, at + 1);
  const split = new Map<string, string>();
  [...units.values()].forEach((unit, index) => {
    const base = `${test}.split/${index}`;
    // Each group of a loaded rule, its head and its loaded rules in their order.
    const byGroup = new Map<number, string[]>();
    for (const rule of unit.rules) {
      const { group, text: ruleText } = blocks.rules[rule]!;
      if (!byGroup.has(group)) byGroup.set(group, [blocks.groups[group]!.head]);
      byGroup.get(group)!.push(ruleText);
    }
    const names = new Set([...byGroup.keys()].map((group) => blocks.groups[group]!.name));
    // group_eval_order may name only loaded groups.
    const order = preamble.replace(/^group_eval_order:\n((?: {2}- .*\n)+)/m, (_, list: string) => {
      const kept = list.split('\n').filter((line) => line !== '' && names.has(line.slice(4).replace(/^"|"$/g, '')));
      return kept.length === 0 ? '' : `group_eval_order:\n${kept.join('\n')}\n`;
    });
    split.set(`${base}.rules.yml`, `groups:\n${[...byGroup.values()].map((parts) => parts.join('')).join('')}`);
    split.set(`${base}.test.yml`, `rule_files:\n  - ${index}.rules.yml\n${order}tests:\n${unit.tests.join('')}`);
  });
  return split;
}
