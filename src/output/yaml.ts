// A small YAML emitter for plain data: objects (keys in insertion order), arrays, strings,
// finite numbers and booleans, in block style. The generated files are read by Go's YAML 1.1
// parsers (Prometheus, promtool, Alertmanager) and by YAML 1.2 tools, so a string is printed
// plain only when both read it back as that same string; otherwise it is double-quoted, or a
// `|` literal block when it spans lines. Much faster than a general library, which matters
// for the tens of megabytes of promtool tests a large platform compiles to.

/** Thrown for a value that has no plain-data YAML form; `path` leads to it from the root. */
class UnserializableError extends Error {
  readonly path: string[] = [];
}

/** The document for `value`, ending with a newline. */
export function emitYaml(value: unknown): string {
  try {
    if (!isNonEmptyCollection(value)) return `${scalar(value, '  ')}\n`;
    const text = new Text();
    block(value, '', '', text);
    return text.toString();
  } catch (error) {
    if (!(error instanceof UnserializableError)) throw error;
    const where = error.path.length === 0 ? '' : ` (at ${error.path.join('')})`;
    throw new Error(`${error.message}${where}`, { cause: error });
  }
}

/**
 * The output, line by line. Lines are joined a thousand at a time and the chunks concatenated:
 * one array of every line of a large file would keep all of them alive until the end, and the
 * garbage collector would copy them again and again; `+=` line by line would build a tree of
 * millions of small strings instead of one of a few large ones.
 */
class Text {
  private text = '';
  private lines: string[] = [];

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length === 1000) {
      this.text += this.lines.join('');
      this.lines = [];
    }
  }

  toString(): string {
    return this.text + this.lines.join('');
  }
}

/**
 * Adds the lines of a non-empty mapping or sequence, each item at `indent`, except that the
 * first line starts with `first`: a nested collection in a sequence begins on the item's `- `
 * line.
 */
function block(value: object, indent: string, first: string, text: Text): void {
  const inner = `${indent}  `;
  let lead = first;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      try {
        if (item === undefined) throw new UnserializableError('cannot serialize undefined in an array');
        if (isNonEmptyCollection(item)) block(item, inner, `${lead}- `, text);
        else text.add(`${lead}- ${scalar(item, inner)}\n`);
      } catch (error) {
        throw withPathSegment(error, `[${index}]`);
      }
      lead = indent;
    }
    return;
  }
  for (const key of Object.keys(value)) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (item === undefined) continue; // like JSON: an optional field left out
    try {
      if (isNonEmptyCollection(item)) {
        text.add(`${lead}${keyText(key)}:\n`);
        block(item, inner, inner, text);
      } else text.add(`${lead}${keyText(key)}: ${scalar(item, inner)}\n`);
    } catch (error) {
      throw withPathSegment(error, `.${key}`);
    }
    lead = indent;
  }
}

function withPathSegment(error: unknown, segment: string): unknown {
  if (error instanceof UnserializableError) error.path.unshift(segment);
  return error;
}

/** Arrays and plain objects with at least one item; empty ones print inline as `[]` and `{}`. */
function isNonEmptyCollection(value: unknown): value is object {
  if (Array.isArray(value)) return value.length > 0;
  if (!isPlainObject(value)) return false;
  for (const key in value) if ((value as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A value that fits on its key's or item's line; `indent` is where a literal block's lines go. */
function scalar(value: unknown, indent: string): string {
  switch (typeof value) {
    case 'string':
      return stringText(value, indent);
    case 'number':
      return decimal(value);
    case 'boolean':
      return String(value);
    case 'object':
      if (Array.isArray(value)) return '[]';
      if (isPlainObject(value)) return '{}';
      throw new UnserializableError(
        `cannot serialize ${value === null ? 'null' : `a ${value.constructor?.name ?? 'non-plain'} object`}: only plain objects, arrays, strings, numbers and booleans`,
      );
    default:
      throw new UnserializableError(
        `cannot serialize ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}: only plain objects, arrays, strings, numbers and booleans`,
      );
  }
}

/** Keys are the same few field and label names in every file: each is checked once. */
const keyTexts = new Map<string, string>();

function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    text = isPlain(key) ? key : doubleQuoted(key);
    // YAML caps implicit keys at 1024 characters, and Go's parser enforces it.
    if (text.length > 1024)
      throw new UnserializableError(`cannot serialize a key of ${text.length} characters: YAML keys are at most 1024`);
    if (keyTexts.size < 10_000) keyTexts.set(key, text);
  }
  return text;
}

function stringText(value: string, indent: string): string {
  if (isPlain(value)) return value;
  if (isLiteralBlock(value)) return literalBlock(value, indent);
  return doubleQuoted(value);
}

// ---- When a string may be plain ----

/**
 * Characters printed as escapes: C0 controls except the line feed (tab included, so no plain
 * or block string holds one), DEL, C1 controls (U+0085 is a line break in YAML 1.1), U+2028 and
 * U+2029 (line breaks in YAML 1.1), the byte order mark, the non-characters U+FFFE and U+FFFF,
 * and unpaired surrogates, which UTF-8 cannot encode.
 */
const ESCAPED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\p{Cs}/u;

/**
 * Forms that end or change a plain scalar: an indicator or space first, a space or `:` last,
 * `: ` (a key) or ` #` (a comment) inside, a line break, `...` (the document end marker), and
 * the escaped characters (one regex rather than two: this runs for every string).
 */
const NOT_PLAIN = new RegExp(`^[-?:,[\\]{}#&*!|>'"%@\` ]|^\\.\\.\\.|[ :]$|: | #|\\n|${ESCAPED.source}`, 'u');

/**
 * Plain words that some YAML version reads as something other than a string: YAML 1.1
 * booleans (yes/no/on/off/y/n, any case), null and `~`, the merge key `<<` and value key `=`;
 * numbers in either version or in Go's readers (which drop `_` and accept 0b/0o/0x, `1.`,
 * `1e3`, `1:30` sexagesimal, `.inf`, `.nan`), and `e3`, which the `yaml` package reads as a
 * YAML 1.1 float; and anything starting like a 2024-01-31 date.
 */
const IMPLICIT_TYPE = new RegExp(
  `^(?:${[
    '(?:y|yes|n|no|true|false|on|off|null|~|<<|=)$',
    '[-+]?(?:[0-9][0-9_]*(?:\\.[0-9_.]*)?|\\.[0-9_.]*)$',
    '[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_.]*)?e[-+]?[0-9_]+$',
    '[-+]?0(?:b[01_]+|o[0-7_]+|x[0-9a-f_]+)$',
    '[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$',
    '[-+]?\\.(?:inf|nan)$',
    '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}',
  ].join('|')})`,
  'i',
);

/** Whether YAML 1.1 and 1.2 both read `value`, printed bare, as exactly this string. */
function isPlain(value: string): boolean {
  return value.length > 0 && !NOT_PLAIN.test(value) && !IMPLICIT_TYPE.test(value);
}

// ---- Quoted and block strings ----

/**
 * Multi-line text as a `|` block (`|-` without the final newline), the way people write
 * PromQL and descriptions. Anything a block would print ambiguously is double-quoted instead:
 * a leading space or newline (the block's indentation is taken from its first line),
 * trailing spaces on a line (invisible, and editors strip them), more than one final newline,
 * and characters that need escapes.
 */
const NOT_LITERAL = /^[ \n]| \n| $|\n\n$/;

function isLiteralBlock(value: string): boolean {
  return value.includes('\n') && !NOT_LITERAL.test(value) && !ESCAPED.test(value);
}

function literalBlock(value: string, indent: string): string {
  const clip = value.endsWith('\n');
  const lines = (clip ? value.slice(0, -1) : value).split('\n');
  return `${clip ? '|' : '|-'}\n${lines.map((line) => (line === '' ? '' : `${indent}${line}`)).join('\n')}`;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t' };

const TO_ESCAPE = /["\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\p{Cs}/gu;

/** `"…"` on one line: `\\`, `\"`, `\n`, `\t`, and `\xNN` or `\uNNNN` for the other escaped characters. */
function doubleQuoted(value: string): string {
  return `"${value.replace(TO_ESCAPE, escapeSequence)}"`;
}

function escapeSequence(char: string): string {
  const short = SHORT_ESCAPES[char];
  if (short !== undefined) return short;
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

// ---- Numbers ----

/**
 * Every number as a plain decimal with the shortest digits that read back exactly: JavaScript
 * writes 1e-7 and 1e+21, which YAML 1.1 does not read as floats (it wants a dot), and
 * thresholds read better positionally anyway.
 */
function decimal(n: number): string {
  if (!Number.isFinite(n)) throw new UnserializableError(`cannot serialize the number ${n}: it has no meaning in generated configuration`);
  const text = String(n);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (exponent === null) return text;
  const [, sign, lead, fraction = '', power] = exponent;
  const digits = `${lead}${fraction}`;
  const point = 1 + Number(power); // where the decimal point falls within `digits`
  return point <= 0 ? `${sign}0.${'0'.repeat(-point)}${digits}` : `${sign}${digits}${'0'.repeat(point - digits.length)}`; // String(n) uses an exponent only from 1e21, so point > digits.length
}
