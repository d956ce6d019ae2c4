import { parser } from '@prometheus-io/lezer-promql';

/**
 * Offline PromQL syntax check and selector extraction on top of the lezer grammar used by the
 * Prometheus UI. Node names are those of @prometheus-io/lezer-promql 0.315 (see the tests).
 */

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  label: string;
  op: MatchOp;
  /** Unquoted and unescaped. */
  value: string;
}

export interface ParsedSelector {
  /** The metric name, from `name{…}`, `{"name"}` or `{__name__="name"}`; undefined otherwise. */
  name: string | undefined;
  /** The matchers as written in the braces, in order. */
  matchers: LabelMatcher[];
  /** Directly under a range: `x[5m]`. */
  inRange: boolean;
  /** Anywhere inside a subquery: `max_over_time(x[1h:5m])`, `rate(x[5m])[1h:]`. */
  inSubquery: boolean;
  /** The innermost enclosing function call (aggregations such as `sum` are not functions). */
  function: string | undefined;
  /** 0-based offset of the selector in the expression. */
  at: number;
  /** 0-based offset just past the selector (its braces or name). */
  end: number;
  /** Under a range, `x[5m]`: the range as written and the offset just past its `]`. */
  range?: { duration: string; end: number };
  /** `x offset 1w`, `x[5m] offset -1h`: the offset as written. */
  offset?: string;
  /**
   * Its values are read as they are: not only its presence, count, changes or rate (under
   * `rate`, `increase`, `absent`, `changes`, `count`, `group`… or right of `unless`), and it is
   * not the whole expression. A counter read so compares a total since its process started.
   */
  valueRead: boolean;
}

/** Functions that read a series' presence, count, changes or rate, never its value as such (pint's promql/counter). */
const presenceFunctions: ReadonlySet<string> = new Set([
  'absent',
  'absent_over_time',
  'present_over_time',
  'changes',
  'resets',
  'count_over_time',
  'increase',
  'irate',
  'rate',
  'timestamp',
]);

export interface PromqlSyntaxError {
  /** 0-based character offset. */
  offset: number;
  /** Human-readable, including the offset: `unexpected "}" at 14`. */
  message: string;
}

export interface ParsedPromql {
  errors: PromqlSyntaxError[];
  /** Best effort when there are errors. */
  selectors: ParsedSelector[];
  /** Function names in order of appearance, repeated as often as they are called. */
  functions: string[];
}

type Node = ReturnType<typeof parser.parse>['topNode'];

interface Context {
  fn: string | undefined;
  valueRead: boolean;
  inRange: boolean;
  range?: { duration: string; end: number };
  offset?: string;
  inSubquery: boolean;
}

export function parsePromql(expr: string): ParsedPromql {
  const tree = parser.parse(expr);
  const text = (node: Node): string => expr.slice(node.from, node.to);
  const syntax = syntaxErrors(expr, tree.topNode);
  const lexical: PromqlSyntaxError[] = [];
  const selectors: ParsedSelector[] = [];
  const functions: string[] = [];

  const string = (node: Node): string => {
    const result = unquote(text(node));
    if ('value' in result) return result.value;
    lexical.push(error(node.from + result.at, result.error));
    return '';
  };

  const walk = (node: Node, ctx: Context): void => {
    if (node.type.isError) return; // reported by syntaxErrors; its content is recovery guesswork
    switch (node.name) {
      case 'FunctionCall': {
        const name = text(node.firstChild!);
        functions.push(name);
        ctx = { ...ctx, fn: name, valueRead: ctx.valueRead && !presenceFunctions.has(name) };
        break;
      }
      case 'AggregateExpr': {
        const op = node.getChild('AggregateOp');
        if (op && /^(count|group)$/i.test(text(op))) ctx = { ...ctx, valueRead: false };
        break;
      }
      case 'BinaryExpr': {
        // `a unless b` reads b's presence only.
        let right = false;
        for (let child = node.firstChild; child; child = child.nextSibling) {
          walk(child, right ? { ...ctx, valueRead: false } : ctx);
          if (child.name === 'Unless') right = true;
        }
        return;
      }
      case 'MatrixSelector': {
        const duration = node.lastChild;
        ctx = { ...ctx, inRange: true, range: { duration: duration ? text(duration) : '', end: node.to } };
        break;
      }
      case 'SubqueryExpr':
        ctx = { ...ctx, inSubquery: true };
        break;
      case 'OffsetExpr': {
        const offset = node.getChild('OffsetDurationExpr');
        if (offset) ctx = { ...ctx, offset: text(offset).replace(/\s+/g, '') };
        break;
      }
      case 'VectorSelector': {
        const selector = selectorOf(node, ctx, text, string);
        if (selector) selectors.push(selector);
        return;
      }
      case 'StringLiteral':
        string(node); // validates escapes in function arguments such as label_replace's
        return;
    }
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child, ctx);
  };
  walk(tree.topNode, { fn: undefined, valueRead: true, inRange: false, inSubquery: false });
  // `expr: x` alone tests that x exists.
  const [only] = selectors;
  if (
    selectors.length === 1 &&
    only &&
    expr.slice(0, only.at).replace(/[\s(]/g, '') === '' &&
    expr.slice(only.end).replace(/[\s)]/g, '') === ''
  )
    only.valueRead = false;

  const errors = [...syntax, ...lexical];
  // Only meaningful on a clean parse: recovery can drop matchers and leave `{}` behind.
  if (errors.length === 0) {
    for (const s of selectors) {
      if (s.name === undefined && s.matchers.every(matchesEmpty)) {
        errors.push(error(s.at, 'vector selector must contain at least one non-empty matcher'));
      }
    }
  }
  errors.sort((a, b) => a.offset - b.offset);
  return { errors, selectors, functions };
}

/** A selector as `selectorsOf` gives it: without offsets into the expression. */
export type SelectorReading = Omit<ParsedSelector, 'at' | 'end' | 'range'> & { range?: { duration: string } };

/** A quoted string (its own group), or a number that is not part of a name or a duration. */
const shapePattern = /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)|(?<![\w.:$])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.:])/g;
const placeholder = /^\u0001(\d+)$/;
/** Parsed shapes by their text; cleared when it grows past a bound. */
const shapes = new Map<string, ParsedSelector[]>();
const maxShapes = 20_000;

/**
 * The selectors of a valid expression, for reading many that differ only in label values and
 * numbers (the rules of a thousand services): each shape (quoted strings and numbers replaced)
 * is parsed once. Offsets are left out: they would be the shape's.
 */
export function selectorsOf(expr: string): SelectorReading[] {
  const literals: string[] = [];
  const shape = expr.replace(shapePattern, (_text, literal: string | undefined) =>
    literal === undefined ? '0' : `"\u0001${literals.push(literal) - 1}"`,
  );
  let selectors = shapes.get(shape);
  if (!selectors) {
    if (shapes.size >= maxShapes) shapes.clear();
    selectors = parsePromql(shape).selectors;
    shapes.set(shape, selectors);
  }
  const restore = (text: string): string => {
    const index = placeholder.exec(text)?.[1];
    if (index === undefined) return text;
    const value = unquote(literals[Number(index)]!);
    return 'value' in value ? value.value : '';
  };
  return selectors.map((selector) => {
    const matchers = selector.matchers.map((matcher) => ({ ...matcher, label: restore(matcher.label), value: restore(matcher.value) }));
    return {
      name: selector.name === undefined ? undefined : restore(selector.name),
      matchers,
      inRange: selector.inRange,
      inSubquery: selector.inSubquery,
      function: selector.function,
      valueRead: selector.valueRead,
      ...(selector.range && { range: { duration: selector.range.duration } }),
      ...(selector.offset && { offset: selector.offset }),
    };
  });
}

/** The errors of `parsePromql`, as strings; empty when the expression is valid. */
export function promqlErrorsFor(expr: string): string[] {
  return parsePromql(expr).errors.map((e) => e.message);
}

/**
 * The expression as its syntax tree, whitespace, comments and spelling aside: two
 * expressions with the same canonical form are the same query. Keywords are compared lower-case,
 * strings by their value (`'a'` is `"a"`), and `x{}` is `x`; parentheses, label order and
 * numbers as written still count.
 */
export function canonicalPromql(expr: string): string {
  const tree = parser.parse(expr);
  const parts: string[] = [];
  const walk = (node: Node): void => {
    if (node.name === 'LineComment') return;
    if (node.name === 'LabelMatchers' && node.firstChild === null) return;
    if (node.firstChild === null) {
      const text = expr.slice(node.from, node.to);
      if (node.name === 'StringLiteral') {
        const value = unquote(text);
        parts.push('value' in value ? JSON.stringify(value.value) : text);
      } else parts.push(/^[A-Za-z_]+$/.test(text) && node.name !== 'Identifier' && node.name !== 'LabelName' ? text.toLowerCase() : text);
      return;
    }
    parts.push(`${node.name}(`);
    for (let child: Node | null = node.firstChild; child; child = child.nextSibling) walk(child);
    parts.push(')');
  };
  walk(tree.topNode);
  return parts.join(' ');
}

const error = (offset: number, message: string): PromqlSyntaxError => ({ offset, message: `${message} at ${offset}` });

function selectorOf(node: Node, ctx: Context, text: (node: Node) => string, string: (node: Node) => string): ParsedSelector | undefined {
  let name: string | undefined;
  const matchers: LabelMatcher[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name === 'Identifier') {
      if (unknownCall(child, text)) return undefined; // reported by syntaxErrors
      name = text(child);
    }
    if (child.name !== 'LabelMatchers') continue;
    for (let m = child.firstChild; m; m = m.nextSibling) {
      // A bare quoted string in the braces is the (UTF-8) metric name: `{"my.metric"}`.
      if (m.name === 'QuotedLabelName') name = string(m.firstChild!);
      if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
      const label = m.firstChild!;
      const op = m.getChild('MatchOp');
      const value = m.getChild('StringLiteral');
      if (!op || !value) continue; // incomplete matcher, already a syntax error
      matchers.push({
        label: label.name === 'QuotedLabelName' ? string(label.firstChild!) : text(label),
        op: text(op) as MatchOp,
        value: string(value),
      });
    }
  }
  // `{__name__="x"}` selects exactly what `x` does.
  name ??= matchers.find((m) => m.label === '__name__' && m.op === '=')?.value;
  return {
    name,
    matchers,
    inRange: ctx.inRange,
    inSubquery: ctx.inSubquery,
    function: ctx.fn,
    valueRead: ctx.valueRead,
    at: node.from,
    end: node.to,
    ...(ctx.range && { range: ctx.range }),
    ...(ctx.offset && { offset: ctx.offset }),
  };
}

/**
 * One error per confused region: lezer recovers token by token, so the nodes right after the
 * first one (`foo(x)` gives three) are echoes of it, not separate mistakes.
 */
function syntaxErrors(expr: string, top: Node): PromqlSyntaxError[] {
  if (expr.trim() === '') return [{ offset: 0, message: 'empty expression' }];
  const text = (node: Node): string => expr.slice(node.from, node.to);
  const errors: PromqlSyntaxError[] = [];
  let covered = -1; // end of the region already reported
  const cursor = top.cursor();
  do {
    if (!cursor.type.isError) continue;
    const { from, to } = cursor;
    if (covered >= 0 && (from < covered || expr.slice(covered, from).trim() === '')) {
      covered = Math.max(covered, to);
      continue;
    }
    covered = to;
    const before = cursor.node.prevSibling;
    if (before && unknownCall(before, text)) {
      errors.push(error(before.from, `unknown function "${text(before)}"`));
      covered = closingParen(expr, from);
      continue;
    }
    const at = from + (expr.slice(from).length - expr.slice(from).trimStart().length);
    if (at === expr.length) {
      errors.push({ offset: at, message: 'incomplete expression at end' });
      continue;
    }
    const token = /^[\w:.]+|^\S/.exec(expr.slice(at))![0];
    errors.push(error(at, `unexpected ${JSON.stringify(token)}`));
  } while (cursor.next());
  return errors;
}

/**
 * The grammar knows every function by name, so `foo(x)` parses as the metric `foo` followed by
 * an unexpected "(".
 */
function unknownCall(identifier: Node, text: (node: Node) => string): boolean {
  const next = identifier.nextSibling;
  return (
    identifier.name === 'Identifier' &&
    identifier.parent?.name === 'VectorSelector' &&
    next?.type.isError === true &&
    text(next).startsWith('(')
  );
}

/** Offset just past the parenthesis closing the one at `open` (or the end), skipping strings. */
function closingParen(expr: string, open: number): number {
  let depth = 0;
  for (let i = open; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < expr.length && expr[i] !== c; i++) if (c !== '`' && expr[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return expr.length;
}

const ESCAPES = new Map([
  ['a', 7],
  ['b', 8],
  ['f', 12],
  ['n', 10],
  ['r', 13],
  ['t', 9],
  ['v', 11],
  ['\\', 92],
]);

/**
 * Unquotes a PromQL string literal as Prometheus' lexer does (Go escapes; `\'` only inside
 * '…' and `\"` only inside "…"; none in `…`). `\x` and octal escapes are bytes, so the result
 * is assembled as UTF-8. `at` is relative to the literal's opening quote.
 */
export function unquote(literal: string): { value: string } | { error: string; at: number } {
  const quote = literal[0]!;
  const closed = literal.length > 1 && literal.endsWith(quote);
  const body = literal.slice(1, closed ? -1 : undefined);
  // Most literals have no escape: nothing to decode.
  if (quote === '`' || !body.includes('\\')) return { value: body };
  const encoder = new TextEncoder();
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const slash = body.indexOf('\\', i);
    bytes.push(...encoder.encode(body.slice(i, slash < 0 ? undefined : slash)));
    if (slash < 0) break;
    const fail = (what: string, end = slash + 2) => ({ error: `${what} "${body.slice(slash, end)}"`, at: slash + 1 });
    const kind = body[slash + 1] ?? '';
    const simple = kind === quote ? quote.charCodeAt(0) : ESCAPES.get(kind);
    if (simple !== undefined) {
      bytes.push(simple);
      i = slash + 2;
      continue;
    }
    const octal = /[0-7]/.test(kind);
    const spec = octal ? { n: 3, base: 8 } : { x: { n: 2, base: 16 }, u: { n: 4, base: 16 }, U: { n: 8, base: 16 } }[kind];
    if (!spec) return fail('invalid escape');
    const start = octal ? slash + 1 : slash + 2;
    const digits = body.slice(start, start + spec.n);
    const valid = spec.base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/;
    const end = start + spec.n;
    if (digits.length !== spec.n || !valid.test(digits)) return fail('invalid escape', end);
    const code = parseInt(digits, spec.base);
    if (octal || kind === 'x') {
      if (code > 255) return fail('invalid escape', end);
      bytes.push(code);
    } else {
      if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) return fail('invalid code point', end);
      bytes.push(...encoder.encode(String.fromCodePoint(code)));
    }
    i = end;
  }
  return { value: new TextDecoder().decode(new Uint8Array(bytes)) };
}

/** Whether a matcher accepts the empty string; Prometheus requires one matcher that does not. */
function matchesEmpty(m: LabelMatcher): boolean {
  if (m.op === '=') return m.value === '';
  if (m.op === '!=') return m.value !== '';
  let matches: boolean;
  try {
    matches = new RegExp(`^(?:${m.value})$`).test('');
  } catch {
    return false; // RE2 syntax JavaScript does not know; do not guess
  }
  return m.op === '=~' ? matches : !matches;
}
