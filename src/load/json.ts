// JSON read from files people edit (the events file, dashboards to import): a syntax error says
// the line and column, not the offset.

/** Where JSON text stops being JSON: 1-based line and column, and what is wrong there. */
export interface JsonProblem {
  readonly line: number;
  readonly column: number;
  /** `expected double-quoted property name`, `unexpected "}"`, `unexpected end of input`. */
  readonly message: string;
}

export type ParsedJson = { readonly value: unknown } | { readonly problem: JsonProblem };

/** Parses JSON text; on error, where (line and column) and what. */
export function parseJson(text: string): ParsedJson {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    // Node names the position for most errors, with a reason worth keeping; not for an unexpected token.
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : errorOffset(text);
    const reason = position
      ? message.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/^./, (first) => first.toLowerCase())
      : offset >= text.length
        ? 'unexpected end of input'
        : `unexpected ${JSON.stringify(text[offset])}`;
    const before = text.slice(0, offset);
    return { problem: { line: before.split('\n').length, column: offset - before.lastIndexOf('\n'), message: reason } };
  }
}

/** `line 3, column 3: expected double-quoted property name`. */
export const formatJsonProblem = (problem: JsonProblem): string => `line ${problem.line}, column ${problem.column}: ${problem.message}`;

/** The offset of the first character JSON's grammar does not allow where it is (the text's length when it ends too early). */
function errorOffset(text: string): number {
  let at = 0;
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at += 1;
  };
  const fail = (): never => {
    throw at;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[at] !== char) fail();
      at += 1;
    }
  };
  /** Steps over `char` when it is next. */
  const next = (char: string): boolean => {
    if (text[at] !== char) return false;
    at += 1;
    return true;
  };
  const string = () => {
    at += 1;
    while (at < text.length && text[at] !== '"') {
      if (text.charCodeAt(at) < 0x20) fail();
      if (text[at] === '\\') {
        at += 1;
        if (text[at] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) fail();
          at += 4;
        } else if (!'"\\/bfnrt'.includes(text[at] ?? '')) fail();
      }
      at += 1;
    }
    if (at >= text.length) fail();
    at += 1;
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) fail();
    at += match![0].length;
  };
  const value = (): void => {
    space();
    if (next('{')) {
      space();
      if (next('}')) return;
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        string();
        space();
        if (!next(':')) fail();
        value();
        space();
        if (next('}')) return;
        if (!next(',')) fail();
      }
    }
    if (next('[')) {
      space();
      if (next(']')) return;
      for (;;) {
        value();
        space();
        if (next(']')) return;
        if (!next(',')) fail();
      }
    }
    const char = text[at];
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    return number();
  };
  try {
    value();
    space();
    return Math.min(at, text.length);
  } catch (offset) {
    return Math.min(offset as number, text.length);
  }
}
