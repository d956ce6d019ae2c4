import { readFile } from 'node:fs/promises';
import path from 'node:path';

// The public API as its sources declare it: every name src/index.ts (or another entry point)
// exports, with the module it comes from, its TSDoc and its declaration. Read with a scanner of
// our own code's shapes: TypeScript 7 has no JavaScript compiler API to ask.

export interface Declared {
  readonly name: string;
  /** The module, relative to the repository (`src/model/metric.ts`). */
  readonly module: string;
  readonly kind: 'function' | 'const' | 'interface' | 'type' | 'class';
  /** The TSDoc comment without its `*` margins; empty when there is none. */
  readonly doc: string;
  /** The declaration: a function's signature, a type's or interface's whole text. */
  readonly text: string;
}

/** `export { a, b as c } from './x.ts'` and `export type { … } from …`, in order. */
export function reExports(source: string): { names: string[]; from: string }[] {
  return [...source.matchAll(/^export (?:type )?\{([^}]*)\}\s*from\s*'([^']+)'/gm)].map((match) => ({
    names: match[1]!
      .split(',')
      .map(
        (item) =>
          item
            .trim()
            .split(/\s+as\s+/)
            .pop()!,
      )
      .filter(Boolean),
    from: match[2]!,
  }));
}

/** The comment right before `at`, if it is a TSDoc block. */
function docBefore(source: string, at: number): string {
  const before = source.slice(0, at).trimEnd();
  if (!before.endsWith('*/')) return '';
  const start = before.lastIndexOf('/**');
  if (start < 0 || before.slice(start).indexOf('*/') !== before.length - start - 2) return '';
  return before
    .slice(start + 3, -2)
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, '').trimEnd())
    .join('\n')
    .trim();
}

/** From `start`, the text up to the first `stop` character outside brackets, strings and comments. */
function until(source: string, start: number, stops: string): string {
  let depth = 0;
  let quote = '';
  for (let index = start; index < source.length; index += 1) {
    const char = source[index]!;
    if (quote) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = '';
      continue;
    }
    if (char === '/' && source[index + 1] === '/') index = source.indexOf('\n', index);
    else if (char === '/' && source[index + 1] === '*') index = source.indexOf('*/', index) + 1;
    else if (char === "'" || char === '"' || char === '`') quote = char;
    else if ('([{<'.includes(char)) {
      if (depth === 0 && stops.includes(char) && char === '{') return source.slice(start, index).trimEnd();
      depth += 1;
    } else if (')]}>'.includes(char)) {
      if (char === '>' && source[index - 1] === '=') continue; // an arrow, not a closing angle bracket
      depth -= 1;
      if (depth === 0 && char === '}' && stops.includes('}')) return source.slice(start, index + 1);
    } else if (depth === 0 && stops.includes(char)) return source.slice(start, index).trimEnd();
  }
  return source.slice(start).trimEnd();
}

/** The declaration of `name` in a module's source. */
export function declaration(source: string, name: string, module: string): Declared {
  const pattern = new RegExp(`^export (?:declare )?(?:async )?(function|const|interface|type|class) ${name}\\b`, 'm');
  const match = pattern.exec(source);
  if (!match) throw new Error(`${module}: no declaration of ${name}`);
  const kind = match[1] as Declared['kind'];
  const text =
    kind === 'function'
      ? until(source, match.index, '{')
      : kind === 'const'
        ? until(source, match.index, '=;')
        : kind === 'interface' || kind === 'class'
          ? until(source, match.index, '}')
          : `${until(source, match.index, ';')};`;
  return { name, module, kind, doc: docBefore(source, match.index), text };
}

/** Every name an entry point re-exports, declared where it lives. */
export async function publicApi(repoRoot: string, entry: string): Promise<Declared[]> {
  const source = await readFile(path.join(repoRoot, entry), 'utf8');
  const declared: Declared[] = [...source.matchAll(/^export (?:declare )?(?:async )?(?:function|const|interface|type|class) (\w+)/gm)].map(
    (match) => declaration(source, match[1]!, entry),
  );
  for (const { names, from } of reExports(source)) {
    const module = path.posix.join(path.posix.dirname(entry), from);
    const text = await readFile(path.join(repoRoot, module), 'utf8');
    for (const name of names) declared.push(declaration(text, name, module));
  }
  return declared;
}
