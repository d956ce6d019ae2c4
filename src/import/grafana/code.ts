import { propertyKey, stringLiteral } from '../typescript.ts';

// TypeScript expressions as data, printed the way the repository's formatter lays them out:
// on one line when they fit in 140 columns, else one item, field, argument or chained call per
// line, indented by two.

export type Code =
  /** Written as is: a name, a number, `module.Enum.Member`. */
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly Code[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, Code])[] }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Code[]; readonly construct?: boolean }
  | { readonly kind: 'chain'; readonly head: Code; readonly calls: readonly { readonly method: string; readonly args: readonly Code[] }[] }
  /** `() => body`. */
  | { readonly kind: 'arrow'; readonly body: Code };

export const lineWidth = 140;

export const raw = (text: string): Code => ({ kind: 'raw', text });
export const string = (value: string): Code => ({ kind: 'string', value });
export const call = (callee: string, args: readonly Code[] = []): Code => ({ kind: 'call', callee, args });
export const construct = (callee: string, args: readonly Code[] = []): Code => ({ kind: 'call', callee, args, construct: true });

/** A JSON value as a literal. */
export function json(value: unknown): Code {
  if (value === null || value === undefined) return raw('null');
  if (typeof value === 'string') return string(value);
  if (typeof value === 'number' || typeof value === 'boolean') return raw(JSON.stringify(value));
  if (Array.isArray(value)) return { kind: 'array', items: value.map(json) };
  return { kind: 'object', entries: Object.entries(value as Record<string, unknown>).map(([key, field]) => [key, json(field)] as const) };
}

/** On one line, or undefined when it cannot be (a multi-line string). */
function flat(code: Code): string | undefined {
  switch (code.kind) {
    case 'raw':
      return code.text;
    case 'string': {
      const literal = stringLiteral(code.value);
      return literal.includes('\n') ? undefined : literal;
    }
    case 'array': {
      const items = code.items.map(flat);
      return items.some((item) => item === undefined) ? undefined : `[${items.join(', ')}]`;
    }
    case 'object': {
      if (code.entries.length === 0) return '{}';
      const entries = code.entries.map(([name, value]) => {
        const text = flat(value);
        return text === undefined ? undefined : `${propertyKey(name)}: ${text}`;
      });
      return entries.some((entry) => entry === undefined) ? undefined : `{ ${entries.join(', ')} }`;
    }
    case 'call': {
      const args = code.args.map(flat);
      return args.some((arg) => arg === undefined) ? undefined : `${code.construct ? 'new ' : ''}${code.callee}(${args.join(', ')})`;
    }
    case 'chain': {
      const head = flat(code.head);
      const calls = code.calls.map((each) => {
        const args = each.args.map(flat);
        return args.some((arg) => arg === undefined) ? undefined : `.${each.method}(${args.join(', ')})`;
      });
      return head === undefined || calls.some((each) => each === undefined) ? undefined : `${head}${calls.join('')}`;
    }
    case 'arrow': {
      const body = flat(code.body);
      return body === undefined ? undefined : `() => ${body}`;
    }
  }
}

/** Arguments in parentheses: on one line, or one per line. */
function args(list: readonly Code[], indent: number): string {
  const one = list.map(flat);
  const inline = one.every((each) => each !== undefined) ? `(${one.join(', ')})` : undefined;
  if (inline !== undefined && indent + inline.length <= lineWidth) return inline;
  // A single list or object keeps the parentheses tight around its brackets.
  if (list.length === 1 && (list[0]!.kind === 'array' || list[0]!.kind === 'object')) return `(${print(list[0]!, indent)})`;
  const pad = ' '.repeat(indent + 2);
  return `(\n${list.map((each) => `${pad}${print(each, indent + 2)},\n`).join('')}${' '.repeat(indent)})`;
}

/** The code at `indent` columns: on the rest of the line if it fits, else broken over lines. */
export function print(code: Code, indent = 0): string {
  const one = flat(code);
  if (one !== undefined && indent + one.length <= lineWidth) return one;
  const pad = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  switch (code.kind) {
    case 'raw':
      return code.text;
    case 'string':
      return stringLiteral(code.value);
    case 'array':
      return `[\n${code.items.map((item) => `${pad}${print(item, indent + 2)},\n`).join('')}${close}]`;
    case 'object':
      return `{\n${code.entries.map(([name, value]) => `${pad}${propertyKey(name)}: ${print(value, indent + 2)},\n`).join('')}${close}}`;
    case 'call':
      return `${code.construct ? 'new ' : ''}${code.callee}${args(code.args, indent)}`;
    case 'chain':
      return `${print(code.head, indent)}${code.calls.map((each) => `\n${pad}.${each.method}${args(each.args, indent + 2)}`).join('')}`;
    case 'arrow':
      return `() =>\n${pad}${print(code.body, indent + 2)}`;
  }
}

/** The modules code names as `module.Export` (`common.SortOrder.None`, `new timeseries.PanelBuilder()`), string literals left out. */
export function modulesOf(code: Code, found = new Set<string>()): Set<string> {
  const name = (text: string): void => {
    const module = /^([a-z][a-z0-9]*)\.[A-Z]/.exec(text)?.[1];
    if (module) found.add(module);
  };
  switch (code.kind) {
    case 'raw':
      name(code.text);
      break;
    case 'array':
      for (const item of code.items) modulesOf(item, found);
      break;
    case 'object':
      for (const [, value] of code.entries) modulesOf(value, found);
      break;
    case 'call':
      name(code.callee);
      for (const arg of code.args) modulesOf(arg, found);
      break;
    case 'chain':
      modulesOf(code.head, found);
      for (const each of code.calls) for (const arg of each.args) modulesOf(arg, found);
      break;
    case 'arrow':
      modulesOf(code.body, found);
      break;
    case 'string':
      break;
  }
  return found;
}
