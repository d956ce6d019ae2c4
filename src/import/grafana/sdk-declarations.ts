import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// The foundation SDK's TypeScript declarations as data: each module's interfaces, type aliases,
// enums and builder classes with their methods' parameter types. cog generates these files in
// a regular shape; this reads that shape, so import knows which builder builds what, which
// methods take an enum or a nested builder, and what an object literal must look like to compile.

/** A type as the declarations write it, references resolved to their module. */
export type SdkType =
  | { readonly kind: 'primitive'; readonly name: 'string' | 'number' | 'boolean' | 'any' | 'unknown' | 'null' | 'void' }
  | { readonly kind: 'literal'; readonly value: string | number | boolean }
  | { readonly kind: 'ref'; readonly module: string; readonly name: string }
  /** `MappingType.ValueToText` used as a type: exactly that member's value. */
  | { readonly kind: 'member'; readonly module: string; readonly enum: string; readonly member: string }
  | { readonly kind: 'array'; readonly of: SdkType }
  | { readonly kind: 'union'; readonly of: readonly SdkType[] }
  | { readonly kind: 'object'; readonly fields: readonly Field[] }
  | { readonly kind: 'record'; readonly value: SdkType }
  /** `cog.Builder<T>`: a builder whose `build()` gives a T. */
  | { readonly kind: 'builder'; readonly of: SdkType }
  /** `cog.Dataquery`: any data source's query. */
  | { readonly kind: 'dataquery' };

export interface Field {
  readonly name: string;
  readonly optional: boolean;
  readonly type: SdkType;
}

export type Declaration =
  | { readonly kind: 'interface'; readonly fields: readonly Field[] }
  | { readonly kind: 'alias'; readonly type: SdkType }
  | { readonly kind: 'enum'; readonly members: readonly (readonly [string, string | number])[] };

export interface Parameter {
  readonly name: string;
  readonly optional: boolean;
  readonly type: SdkType;
}

export interface BuilderDeclaration {
  readonly module: string;
  readonly name: string;
  /** What `build()` gives: the T of `implements cog.Builder<T>`. */
  readonly builds: SdkType;
  readonly constructorParameters: readonly Parameter[];
  /** In declaration order, `build` left out. */
  readonly methods: readonly { readonly name: string; readonly parameters: readonly Parameter[] }[];
}

export interface SdkDeclarations {
  /** The interface, alias or enum `name` of `module`. */
  declaration(module: string, name: string): Declaration | undefined;
  /** The builder classes of `module`. */
  builders(module: string): readonly BuilderDeclaration[];
}

/** `module.Name`, the key of a declaration. */
export const declarationKey = (module: string, name: string): string => `${module}.${name}`;

type Token = { readonly kind: 'word' | 'string' | 'number' | 'punct'; readonly text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|\/\*[\s\S]*?\*\/|\/\/[^\n]*|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(-?\d+(?:\.\d+)?)|([A-Za-z_$][\w$]*)|(=>|\S)/g;
  for (const match of source.matchAll(pattern)) {
    if (match[1] !== undefined) tokens.push({ kind: 'string', text: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: 'number', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'word', text: match[3] });
    else if (match[4] !== undefined) tokens.push({ kind: 'punct', text: match[4] });
  }
  return tokens;
}

const unquote = (text: string): string =>
  JSON.parse(text.startsWith("'") ? `"${text.slice(1, -1).replaceAll('"', '\\"')}"` : text) as string;

/** A reader over one declaration file's tokens. */
class Parser {
  at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly module: string,
    private readonly aliases: ReadonlyMap<string, string>,
    private readonly enums: ReadonlySet<string>,
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }
  next(): Token {
    const token = this.tokens[this.at];
    if (!token) throw new Error(`unexpected end of ${this.module} declarations`);
    this.at += 1;
    return token;
  }
  is(text: string, offset = 0): boolean {
    return this.peek(offset)?.text === text;
  }
  eat(text: string): boolean {
    if (!this.is(text)) return false;
    this.at += 1;
    return true;
  }
  expect(text: string): void {
    const token = this.next();
    if (token.text !== text) throw new Error(`expected "${text}" in ${this.module} declarations, found "${token.text}"`);
  }
  done(): boolean {
    return this.at >= this.tokens.length;
  }

  /** Skips to just past the next `;` at this nesting level (or the end of a braced block). */
  skipStatement(): void {
    let depth = 0;
    while (!this.done()) {
      const token = this.next();
      if (token.text === '{' || token.text === '(' || token.text === '<') depth += 1;
      if (token.text === '}' || token.text === ')' || token.text === '>') {
        depth -= 1;
        if (depth === 0 && token.text === '}' && !this.is(';')) return;
      }
      if (depth <= 0 && token.text === ';') return;
    }
  }

  type(): SdkType {
    this.eat('|');
    const alternatives = [this.postfix()];
    while (this.eat('|')) alternatives.push(this.postfix());
    return alternatives.length === 1 ? alternatives[0]! : { kind: 'union', of: alternatives };
  }

  private postfix(): SdkType {
    let type = this.primary();
    while (this.is('[') && this.is(']', 1)) {
      this.at += 2;
      type = { kind: 'array', of: type };
    }
    return type;
  }

  private primary(): SdkType {
    const token = this.next();
    if (token.text === '(' && (this.is(')') || this.is(':', 1) || this.is('?', 1))) {
      // A function type: nothing a dashboard holds.
      this.at -= 1;
      this.parameters();
      this.expect('=>');
      this.type();
      return { kind: 'primitive', name: 'any' };
    }
    if (token.text === '(') {
      const inner = this.type();
      this.expect(')');
      return inner;
    }
    if (token.text === '{') return { kind: 'object', fields: this.members() };
    if (token.kind === 'string') return { kind: 'literal', value: unquote(token.text) };
    if (token.kind === 'number') return { kind: 'literal', value: Number(token.text) };
    if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true' };
    if (['string', 'number', 'boolean', 'any', 'unknown', 'null', 'void', 'undefined'].includes(token.text))
      return { kind: 'primitive', name: token.text === 'undefined' ? 'null' : (token.text as 'string') };
    const parts = [token.text];
    while (this.eat('.')) parts.push(this.next().text);
    const args: SdkType[] = [];
    if (this.eat('<')) {
      args.push(this.type());
      while (this.eat(',')) args.push(this.type());
      this.expect('>');
    }
    return this.reference(parts, args);
  }

  private reference(parts: string[], args: SdkType[]): SdkType {
    if (parts.length === 1 && parts[0] === 'Record') return { kind: 'record', value: args[1] ?? { kind: 'primitive', name: 'any' } };
    const [first, ...rest] = parts as [string, ...string[]];
    const module = this.aliases.get(first);
    if (module === 'cog' && rest[0] === 'Builder') return { kind: 'builder', of: args[0]! };
    if (module === 'cog' && rest[0] === 'Dataquery') return { kind: 'dataquery' };
    if (module !== undefined) {
      if (rest.length === 2) return { kind: 'member', module, enum: rest[0]!, member: rest[1]! };
      return { kind: 'ref', module, name: rest[0]! };
    }
    if (rest.length === 1 && this.enums.has(first)) return { kind: 'member', module: this.module, enum: first, member: rest[0]! };
    return { kind: 'ref', module: this.module, name: first };
  }

  /** `name?: type;` members up to the closing brace; method signatures are skipped. */
  members(): Field[] {
    const fields: Field[] = [];
    while (!this.eat('}')) {
      if (this.is('[')) {
        this.skipStatement();
        continue;
      }
      const name = this.next();
      const optional = this.eat('?');
      if (this.is('(')) {
        this.skipStatement();
        continue;
      }
      this.expect(':');
      fields.push({ name: name.kind === 'string' ? unquote(name.text) : name.text, optional, type: this.type() });
      this.eat(';');
      this.eat(',');
    }
    return fields;
  }

  parameters(): Parameter[] {
    this.expect('(');
    const parameters: Parameter[] = [];
    while (!this.eat(')')) {
      const name = this.next().text;
      const optional = this.eat('?');
      this.expect(':');
      parameters.push({ name, optional, type: this.type() });
      this.eat(',');
    }
    return parameters;
  }
}

function moduleAliases(tokens: Token[], module: string): Map<string, string> {
  const aliases = new Map<string, string>([[module, module]]);
  for (let index = 0; index + 5 < tokens.length; index += 1) {
    // import * as alias from '../module';
    if (tokens[index]!.text === 'import' && tokens[index + 1]!.text === '*' && tokens[index + 2]!.text === 'as') {
      const source = tokens[index + 5]!;
      if (source.kind === 'string') aliases.set(tokens[index + 3]!.text, path.posix.basename(unquote(source.text)));
    }
  }
  return aliases;
}

/** Parses the declaration files of one module (its directory under dist/). */
function readModule(dir: string, module: string, into: Map<string, Declaration>, builders: BuilderDeclaration[]): void {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.d.ts') && file !== 'index.d.ts')
    .sort();
  const sources = files.map((file) => tokenize(readFileSync(path.join(dir, file), 'utf8')));
  // Enum names first: `Enum.Member` inside the module is a member type.
  const enums = new Set<string>();
  for (const tokens of sources) {
    tokens.forEach((token, index) => {
      if (token.text === 'enum' && tokens[index + 1]) enums.add(tokens[index + 1]!.text);
    });
  }
  for (const tokens of sources) {
    const parser = new Parser(tokens, module, moduleAliases(tokens, module), enums);
    while (!parser.done()) {
      if (parser.eat('export')) {
        parser.eat('declare');
        if (parser.eat('interface')) {
          const name = parser.next().text;
          while (!parser.is('{')) parser.next();
          parser.expect('{');
          into.set(declarationKey(module, name), { kind: 'interface', fields: parser.members() });
          continue;
        }
        if (parser.eat('type')) {
          const name = parser.next().text;
          parser.expect('=');
          into.set(declarationKey(module, name), { kind: 'alias', type: parser.type() });
          parser.eat(';');
          continue;
        }
        if (parser.eat('enum')) {
          const name = parser.next().text;
          parser.expect('{');
          const members: [string, string | number][] = [];
          while (!parser.eat('}')) {
            const member = parser.next().text;
            parser.expect('=');
            const value = parser.next();
            members.push([member, value.kind === 'string' ? unquote(value.text) : Number(value.text)]);
            parser.eat(',');
          }
          into.set(declarationKey(module, name), { kind: 'enum', members });
          continue;
        }
        if (parser.eat('class')) {
          builders.push(readBuilder(parser, module));
          continue;
        }
      }
      parser.skipStatement();
    }
  }
}

function readBuilder(parser: Parser, module: string): BuilderDeclaration {
  const name = parser.next().text;
  let builds: SdkType = { kind: 'primitive', name: 'any' };
  if (parser.eat('implements')) {
    const implemented = parser.type();
    if (implemented.kind === 'builder') builds = implemented.of;
  }
  parser.expect('{');
  let constructorParameters: Parameter[] = [];
  const methods: { name: string; parameters: Parameter[] }[] = [];
  while (!parser.eat('}')) {
    // Modifiers, unless the word is the method's own name (`readonly(): this`).
    while (['protected', 'private', 'readonly', 'static'].includes(parser.peek()?.text ?? '') && !parser.is('(', 1)) parser.next();
    const member = parser.next().text;
    if (!parser.is('(')) {
      parser.skipStatement();
      continue;
    }
    const parameters = parser.parameters();
    if (parser.eat(':')) parser.type();
    parser.eat(';');
    if (member === 'constructor') constructorParameters = parameters;
    else if (member !== 'build') methods.push({ name: member, parameters });
  }
  return { module, name, builds, constructorParameters, methods };
}

/** The installed SDK's dist/ directory. */
function sdkDistDir(): string {
  const entry = createRequire(import.meta.url).resolve('@grafana/grafana-foundation-sdk/dashboard');
  return path.dirname(path.dirname(entry));
}

const modules = new Map<string, { declarations: Map<string, Declaration>; builders: BuilderDeclaration[] }>();

/** One module's declarations, read when first asked for. */
function sdkModule(module: string): { declarations: Map<string, Declaration>; builders: BuilderDeclaration[] } {
  let read = modules.get(module);
  if (!read) {
    read = { declarations: new Map(), builders: [] };
    // cog holds the generic builder machinery, read by kind ('builder', 'dataquery') instead.
    if (module !== 'cog' && /^[a-z0-9]+$/.test(module))
      readModule(path.join(sdkDistDir(), module), module, read.declarations, read.builders);
    modules.set(module, read);
  }
  return read;
}

export const sdkDeclarations: SdkDeclarations = {
  declaration: (module, name) => sdkModule(module).declarations.get(declarationKey(module, name)),
  builders: (module) => sdkModule(module).builders,
};
