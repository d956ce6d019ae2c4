// Printing the TypeScript that import writes: values as literals a person would have typed
// (single quotes, trailing commas, 140 columns, as Biome formats this repository), code
// fragments such as `select(httpRequests, { code: re('5..') })` kept as they are, and modules
// with their imports gathered.

/** What written files import the definition API from: the package, as users install it. */
export const monforgeSpecifier = 'monforge';

/**
 * A fragment of TypeScript printed as it is, e.g. a call or an identifier; one that spans lines
 * is made for the indentation it is printed at.
 */
export class Code {
  /** `used`: the columns of its line already taken before it. */
  constructor(readonly at: (indent: number, used?: number) => string) {}
}

export const code = (text: string): Code => new Code(() => text);

/** `fn(arg, …)` with each argument printed as a value, on one line when it fits. */
export const call = (fn: string, ...args: unknown[]): Code =>
  new Code((indent, used = indent) => {
    const flat = args.map(printFlat);
    if (flat.every((each) => each !== undefined)) {
      const line = `${fn}(${flat.join(', ')})`;
      if (used + line.length <= lineWidth) return line;
    }
    // The last argument (an options object) opens over several lines, as Biome prints it.
    const head = args.slice(0, -1).map((arg) => print(arg, indent));
    const prefix = `${fn}(${head.map((each) => `${each}, `).join('')}`;
    return `${prefix}${print(args.at(-1), indent, used + prefix.length)})`;
  });

const lineWidth = 140;
const identifierPattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A string literal: single quotes; a long text of several lines as a template literal that keeps
 * its lines (not with a carriage return, which a template literal reads as a line feed).
 */
export function stringLiteral(value: string): string {
  if (value.includes('\n') && value.length > 60 && !value.includes('\r'))
    return `\`${value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
  return `'${value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
}

export const propertyKey = (key: string): string => (identifierPattern.test(key) ? key : stringLiteral(key));

/**
 * A value as TypeScript at `indent` spaces: on one line when it fits in what is left of the
 * line (`used` columns are taken before it), else one item per line. Undefined properties are
 * left out.
 */
export function print(value: unknown, indent: number, used = indent): string {
  const flat = printFlat(value);
  if (flat !== undefined && used + flat.length <= lineWidth && !flat.includes('\n')) return flat;
  const inner = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => `${inner}${print(item, indent + 2)},`);
    return `[\n${items.join('\n')}\n${' '.repeat(indent)}]`;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([key, item]) => {
      const head = `${inner}${propertyKey(key)}: `;
      return `${head}${print(item, indent + 2, head.length)},`;
    });
    return `{\n${lines.join('\n')}\n${' '.repeat(indent)}}`;
  }
  if (value instanceof Code) return value.at(indent, used);
  return flat ?? String(value);
}

/** One line, or undefined for values that have none (a template literal with line breaks prints as it is). */
function printFlat(value: unknown): string | undefined {
  if (value instanceof Code) {
    const text = value.at(0);
    return text.includes('\n') ? undefined : text;
  }
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) {
    const items = value.map(printFlat);
    return items.every((item) => item !== undefined) ? `[${items.join(', ')}]` : undefined;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    const items = entries.map(([key, item]) => {
      const printed = printFlat(item);
      return printed === undefined ? undefined : `${propertyKey(key)}: ${printed}`;
    });
    return items.every((item) => item !== undefined) ? `{ ${items.join(', ')} }` : undefined;
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

const reserved = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(
    ' ',
  ),
);

/** A camelCase identifier for a name (`node_cpu_seconds_total` → `nodeCpuSecondsTotal`, `kube-prometheus.rules` → `kubePrometheusRules`). */
export function camelCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  const joined = words
    .map((word, index) => (index === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
  const safe = /^[0-9]/.test(joined) ? `_${joined}` : joined || '_';
  return reserved.has(safe) ? `${safe}_` : safe;
}

/** Identifiers unique within one scope: the second `http` becomes `http2`. */
export class Identifiers {
  private readonly taken = new Set<string>();

  get size(): number {
    return this.taken.size;
  }

  constructor(taken: Iterable<string> = []) {
    for (const name of taken) this.taken.add(name);
  }

  claim(name: string): string {
    const base = camelCase(name);
    let candidate = base;
    for (let count = 2; this.taken.has(candidate); count += 1) candidate = `${base}${count}`;
    this.taken.add(candidate);
    return candidate;
  }
}

/** One file of TypeScript: a header comment, its imports gathered by module, its statements. */
export class Module {
  private readonly imports = new Map<string, Set<string>>();
  private readonly statements: string[] = [];
  /** Names taken at the top level of the module (imports and exports). */
  readonly names = new Identifiers();

  constructor(
    /** The file's path, relative to the output folder: `node-exporter-rules.ts`. */
    readonly file: string,
    private readonly header: readonly string[],
  ) {}

  private readonly namespaces = new Map<string, string>();
  private readonly types = new Map<string, Set<string>>();

  /** Imports a type (`import type`), which exists only for the compiler. */
  useType(from: string, name: string): string {
    const names = this.types.get(from) ?? new Set<string>();
    names.add(name);
    this.types.set(from, names);
    return name;
  }

  /** Imports `name` from `from` (deduplicated) and returns it; with `namespace`, the whole module as `name`. */
  use(from: string, name: string, namespace = false): string {
    if (namespace) {
      this.namespaces.set(from, name);
      return name;
    }
    const names = this.imports.get(from) ?? new Set<string>();
    names.add(name);
    this.imports.set(from, names);
    return name;
  }

  add(statement: string): void {
    this.statements.push(statement);
  }

  /** `export const name = value;`, the value printed as TypeScript. */
  exportConst(name: string, value: unknown): void {
    const head = `export const ${name} = `;
    this.add(`${head}${print(value, 0, head.length)};`);
  }

  toString(): string {
    const imports = [...this.imports]
      .sort(([a], [b]) => (a.startsWith('.') === b.startsWith('.') ? (a < b ? -1 : 1) : a.startsWith('.') ? 1 : -1))
      .map(([from, names]) => {
        const list = [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
        const flat = `import { ${list.join(', ')} } from ${stringLiteral(from)};`;
        return flat.length <= lineWidth ? flat : `import {\n${list.map((name) => `  ${name},`).join('\n')}\n} from ${stringLiteral(from)};`;
      });
    const types = [...this.types]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([from, names]) => `import type { ${[...names].sort().join(', ')} } from ${stringLiteral(from)};`);
    const namespaces = [...this.namespaces]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([from, name]) => `import * as ${name} from ${stringLiteral(from)};`);
    const header = this.header.map((line) => `// ${line}`.trimEnd());
    return `${[...header, ...(header.length > 0 ? [''] : []), ...types, ...imports, ...namespaces, '', this.statements.join('\n\n')].join('\n')}\n`;
  }
}
