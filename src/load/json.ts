// JSON read from files people edit: a syntax error says the line and column, not the offset.

export type ParsedJson = { readonly value: unknown } | { readonly error: string };

/** `line 3, column 3: expected double-quoted property name` for JSON.parse's `… at position 14`. */
export function parseJson(text: string): ParsedJson {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    const reason = message
      .replace(/\s*(in JSON )?at position \d+.*$/, '')
      .replace(/^Unexpected end of JSON input$/, 'unexpected end of input')
      .replace(/^./, (first) => first.toLowerCase());
    return { error: offset === undefined ? reason : `${lineColumn(text, offset)}: ${reason}` };
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}
