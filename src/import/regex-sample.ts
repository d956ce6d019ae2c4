// A label value that a Prometheus or Alertmanager regex matcher accepts (or rejects), for the
// label sets import makes up: test series of a synthesised promtool case, label sets that walk
// a routing tree. Regexes are RE2 and fully anchored; a value is only returned once the
// JavaScript engine, which agrees with RE2 on the syntax handled here, confirms it.

/** A value the anchored pattern matches, preferring readable ones; undefined when none is found. */
export function valueMatching(pattern: string): string | undefined {
  const regex = anchored(pattern);
  if (!regex) return undefined;
  const plain = pattern.replace(/^\(\?i\)/, '');
  const candidates = [...alternatives(plain), generate(plain), 'x', 'value-1', '', '0', '500', 'a'];
  return candidates.find((candidate): candidate is string => candidate !== undefined && regex.test(candidate));
}

/** A value the anchored pattern does not match. */
export function valueNotMatching(pattern: string): string | undefined {
  const regex = anchored(pattern);
  if (!regex) return undefined;
  return ['value-1', 'x', 'other', 'zz-9', '', '_'].find((candidate) => !regex.test(candidate));
}

function anchored(pattern: string): RegExp | undefined {
  // RE2's leading `(?i)` is JavaScript's `i` flag.
  const insensitive = pattern.startsWith('(?i)');
  try {
    return new RegExp(`^(?:${insensitive ? pattern.slice(4) : pattern})$`, insensitive ? 'i' : '');
  } catch {
    return undefined;
  }
}

/** `a|b|c` of plain words: each word. */
function alternatives(pattern: string): string[] {
  return /^[\w\- :/.]+(\|[\w\- :/.]+)*$/.test(pattern) && !/[.]/.test(pattern.replace(/\\\./g, '')) ? pattern.split('|') : [];
}

/** The shortest string of a small regex subset: literals, escapes, classes, groups, alternation, quantifiers. */
function generate(pattern: string): string | undefined {
  let at = 0;
  const fail = (): never => {
    throw new Error('unsupported');
  };
  const alternation = (): string => {
    const options = [sequence()];
    while (pattern[at] === '|') {
      at += 1;
      options.push(sequence());
    }
    return options.reduce((best, each) => (each.length > 0 && (best.length === 0 || each.length < best.length) ? each : best), options[0]!);
  };
  const sequence = (): string => {
    let out = '';
    while (at < pattern.length && pattern[at] !== '|' && pattern[at] !== ')') {
      const piece = atom();
      const quantifier = pattern[at];
      if (quantifier === '*' || quantifier === '?') {
        at += 1;
        if (pattern[at] === '?') at += 1;
        continue;
      }
      if (quantifier === '+') {
        at += 1;
        if (pattern[at] === '?') at += 1;
        out += piece;
        continue;
      }
      if (quantifier === '{') {
        const close = pattern.indexOf('}', at);
        if (close < 0) fail();
        const min = Number(pattern.slice(at + 1, close).split(',')[0]);
        if (!Number.isInteger(min)) fail();
        at = close + 1;
        out += piece.repeat(min);
        continue;
      }
      out += piece;
    }
    return out;
  };
  const atom = (): string => {
    const char = pattern[at]!;
    at += 1;
    if (char === '(') {
      if (pattern[at] === '?') {
        if (pattern[at + 1] !== ':') fail();
        at += 2;
      }
      const inner = alternation();
      if (pattern[at] !== ')') fail();
      at += 1;
      return inner;
    }
    if (char === '[') {
      const close = pattern.indexOf(']', at + 1);
      if (close < 0) fail();
      const body = pattern.slice(at, close);
      at = close + 1;
      if (body.startsWith('^')) return ['a', 'x', '0', '-'].find((each) => !new RegExp(`[${body}]`).test(each)) ?? fail();
      return body.startsWith('\\') ? (escaped(body[1]!) ?? body[1]!) : body[0]!;
    }
    if (char === '\\') {
      const next = pattern[at]!;
      at += 1;
      return escaped(next) ?? next;
    }
    if (char === '.') return '0';
    if (char === '^' || char === '$') return '';
    return char;
  };
  try {
    const out = alternation();
    return at === pattern.length ? out : undefined;
  } catch {
    return undefined;
  }
}

function escaped(char: string): string | undefined {
  return { d: '0', w: 'a', s: ' ', D: 'a', W: '-', S: 'a' }[char];
}
