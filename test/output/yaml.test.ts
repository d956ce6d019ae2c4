import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { emitYaml } from '../../src/output/yaml.ts';

// The emitter must print every string so that YAML 1.1 (Go's parsers in Prometheus, promtool and
// Alertmanager) and YAML 1.2 both read it back unchanged. Checked three ways: pinned text for a
// table of known traps, round trips through `yaml` in both versions for generated values, and
// promtool reading them back as label values.

/** Small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces that trip YAML emitters: indicators, comment and key markers, quotes and escapes, line
// breaks of both versions, control and invisible characters, surrogate pairs, and the spellings
// of booleans, nulls, numbers and dates in YAML 1.1 and 1.2.
const pieces = [
  ...'-?:,[]{}#&*!|>\'"%@`~=<.+_ \t\n\\/0123456789aeExXoObB',
  ': ',
  ' #',
  '# ',
  '- ',
  '? ',
  '---',
  '...',
  '<<',
  '{{ $value }}',
  '{{ $labels.job }}',
  'yes',
  'Yes',
  'YES',
  'no',
  'No',
  'on',
  'On',
  'off',
  'OFF',
  'y',
  'Y',
  'n',
  'N',
  'true',
  'False',
  'null',
  'Null',
  'NULL',
  '0x1F',
  '0o17',
  '0b101',
  '017',
  '1_000',
  '1:30',
  '190:20:30',
  '2024-01-31',
  '2001-12-14t21:59:43.10-05:00',
  '.inf',
  '-.Inf',
  '.NaN',
  '1e3',
  '1.2.3',
  '6.8523015e+5',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffe',
  'é',
  '—',
  '×',
  '😀',
  'sum(rate(x{code=~"5.."}[5m]))',
  'http_requests_total{job="api"}',
  '0+600x4',
  '-95.5+60x120',
  '30s',
  '5xx',
];

function trickyString(next: () => number): string {
  let text = '';
  const count = Math.floor(next() * 5);
  for (let index = 0; index < count; index += 1) text += pieces[Math.floor(next() * pieces.length)];
  return text;
}

function trickyNumber(next: () => number): number {
  const kinds = [
    () => Math.floor(next() * 2000) - 1000,
    () => (next() - 0.5) * 10 ** Math.floor(next() * 60 - 30),
    () => Number((next() * 100).toFixed(Math.floor(next() * 6))),
    () => [0.1 + 0.2, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER, -1.7976931348623157e308, 14.4][Math.floor(next() * 7)]!,
  ];
  return kinds[Math.floor(next() * kinds.length)]!() || 0; // -0 prints as 0
}

function trickyValue(next: () => number, depth: number): unknown {
  const roll = next();
  if (depth > 3 || roll < 0.45) return trickyString(next);
  if (roll < 0.55) return trickyNumber(next);
  if (roll < 0.6) return next() < 0.5;
  if (roll < 0.8) return Array.from({ length: Math.floor(next() * 4) }, () => trickyValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  for (let index = Math.floor(next() * 4); index > 0; index -= 1) object[trickyString(next)] = trickyValue(next, depth + 1);
  return object;
}

// value → how it is printed after `k: `
const table: [string, string][] = [
  // plain: nothing else it could be
  ['api', 'api'],
  ['1m', '1m'],
  ['5xx', '5xx'],
  ['0+600x4', '0+600x4'],
  ['http_requests_total{code="5xx",job="api"}', 'http_requests_total{code="5xx",job="api"}'],
  ['sum(rate(x[5m])) > 0.1 or vector(0)', 'sum(rate(x[5m])) > 0.1 or vector(0)'],
  ['{{ $labels.job }} is down', '"{{ $labels.job }} is down"'],
  ['p95 {{ $value | humanizeDuration }}', 'p95 {{ $value | humanizeDuration }}'],
  ['a#b', 'a#b'],
  ['a:b', 'a:b'],
  ['a]', 'a]'],
  ['https://runbooks.example.com/a#b', 'https://runbooks.example.com/a#b'],
  ['yesterday', 'yesterday'],
  ['é — × 😀', 'é — × 😀'],
  // YAML 1.1 booleans and nulls, YAML 1.2 ones
  ['yes', '"yes"'],
  ['No', '"No"'],
  ['on', '"on"'],
  ['OFF', '"OFF"'],
  ['y', '"y"'],
  ['N', '"N"'],
  ['true', '"true"'],
  ['False', '"False"'],
  ['null', '"null"'],
  ['~', '"~"'],
  ['<<', '"<<"'],
  ['=', '"="'],
  // numbers and dates in either version or Go's readers
  ['0', '"0"'],
  ['010', '"010"'],
  ['0.10', '"0.10"'],
  ['-1', '"-1"'],
  ['+1', '"+1"'],
  ['1_000', '"1_000"'],
  ['0x1F', '"0x1F"'],
  ['0o17', '"0o17"'],
  ['0b101', '"0b101"'],
  ['1e3', '"1e3"'],
  ['e3', '"e3"'],
  ['.E-5', '".E-5"'],
  ['1.', '"1."'],
  ['.5', '".5"'],
  ['1.2.3', '"1.2.3"'],
  ['1:30', '"1:30"'],
  ['.inf', '".inf"'],
  ['-.Inf', '"-.Inf"'],
  ['.NaN', '".NaN"'],
  ['2024-01-31', '"2024-01-31"'],
  ['2024-1-3 10:00', '"2024-1-3 10:00"'],
  // indicators, markers, surrounding space
  ['', '""'],
  [' ', '" "'],
  [' a', '" a"'],
  ['a ', '"a "'],
  ['- a', '"- a"'],
  ['-95.5+60x120', '"-95.5+60x120"'],
  ['?a', '"?a"'],
  [':a', '":a"'],
  ['a:', '"a:"'],
  ['a: b', '"a: b"'],
  ['a #b', '"a #b"'],
  ['#a', '"#a"'],
  ['&a', '"&a"'],
  ['*a', '"*a"'],
  ['!a', '"!a"'],
  ['|a', '"|a"'],
  ['>a', '">a"'],
  ["'a'", `"'a'"`],
  ['"a"', '"\\"a\\""'],
  ['%a', '"%a"'],
  ['@a', '"@a"'],
  ['`a`', '"`a`"'],
  ['{job="api"}', '"{job=\\"api\\"}"'],
  ['[a]', '"[a]"'],
  [',a', '",a"'],
  ['...', '"..."'],
  ['---', '"---"'],
  // escapes
  ['tab\there', '"tab\\there"'],
  ['back\\slash: x', '"back\\\\slash: x"'],
  ['bell\u0007', '"bell\\x07"'],
  ['nul\u0000', '"nul\\x00"'],
  ['del\u007f', '"del\\x7F"'],
  ['next\u0085line', '"next\\x85line"'],
  ['line\u2028separator', '"line\\u2028separator"'],
  ['paragraph\u2029separator', '"paragraph\\u2029separator"'],
  ['\ufeffbom', '"\\uFEFFbom"'],
  ['lone \ud800', '"lone \\uD800"'],
  // line breaks: `|` blocks where they read back exactly, else double quotes
  ['a\nb\n', '|\n  a\n  b'],
  ['a\nb', '|-\n  a\n  b'],
  ['a\n\n  b\n', '|\n  a\n\n    b'],
  ['# not a comment\n- not an item\n', '|\n  # not a comment\n  - not an item'],
  [' a\nb', '" a\\nb"'],
  ['\na', '"\\na"'],
  ['a \nb', '"a \\nb"'],
  ['a\nb ', '"a\\nb "'],
  ['a\nb\n\n', '"a\\nb\\n\\n"'],
  ['a\tb\nc', '"a\\tb\\nc"'],
  ['a\r\nb', '"a\\x0D\\nb"'],
];

describe('emitYaml round trips', () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])('generated values read back unchanged in YAML 1.2 and 1.1 (seed %i)', (seed) => {
    const next = random(seed);
    for (let run = 0; run < 300; run += 1) {
      const value = trickyValue(next, 0);
      const text = emitYaml(value);
      expect(parse(text), text).toEqual(value);
      expect(parse(text, { version: '1.1' }), text).toEqual(value);
    }
  });

  test('every generated string, alone, as a key and in a list', () => {
    const next = random(42);
    for (let run = 0; run < 3000; run += 1) {
      const s = trickyString(next);
      const value = { s, list: [s, [s]], [s]: { [s]: s } };
      const text = emitYaml(value);
      expect(parse(text), text).toEqual(value);
      expect(parse(text, { version: '1.1' }), text).toEqual(value);
    }
  });
});

describe('emitYaml text', () => {
  test.each(table)('%j prints as %s', (value, printed) => {
    expect(emitYaml({ k: value })).toBe(`k: ${printed}\n`);
    expect(parse(emitYaml({ k: value }))).toEqual({ k: value });
    expect(parse(emitYaml({ k: value }), { version: '1.1' })).toEqual({ k: value });
  });

  test('keys follow the same rules, and a key never spans lines', () => {
    expect(emitYaml({ yes: 1, 'a b': 2, 'a: b': 3, 'line\nbreak': 4, '': 5 })).toBe(
      '"yes": 1\na b: 2\n"a: b": 3\n"line\\nbreak": 4\n"": 5\n',
    );
  });

  test('nesting: list items at the parent key plus two, collections on the item line, empty ones inline', () => {
    const value = { a: [[1, 2], [], {}, { b: [true], c: { d: 'x' } }, 'z'], e: {}, f: [] };
    expect(emitYaml(value)).toBe(
      [
        'a:',
        '  - - 1',
        '    - 2',
        '  - []',
        '  - {}',
        '  - b:',
        '      - true',
        '    c:',
        '      d: x',
        '  - z',
        'e: {}',
        'f: []',
        '',
      ].join('\n'),
    );
  });

  test('a document that is a scalar, an empty collection or a block string', () => {
    expect(emitYaml('yes')).toBe('"yes"\n');
    expect(emitYaml(1.5)).toBe('1.5\n');
    expect(emitYaml([])).toBe('[]\n');
    expect(emitYaml({})).toBe('{}\n');
    expect(emitYaml('a\nb\n')).toBe('|\n  a\n  b\n');
  });

  test('numbers are plain decimals, never exponents; -0 is 0', () => {
    expect(emitYaml([1e21, 1e-7, -2.5e-8, 0.1 + 0.2, -0])).toBe(
      '- 1000000000000000000000\n- 0.0000001\n- -0.000000025\n- 0.30000000000000004\n- 0\n',
    );
  });

  test('optional fields left undefined are skipped, like JSON; an object of only those is empty', () => {
    expect(emitYaml({ a: 1, b: undefined, c: { d: undefined } })).toBe('a: 1\nc: {}\n');
  });

  test('refuses what is not plain data, and says where it is', () => {
    expect(() => emitYaml({ groups: [{ rules: [1, undefined] }] })).toThrow(
      'cannot serialize undefined in an array (at .groups[0].rules[1])',
    );
    expect(() => emitYaml({ a: null })).toThrow('cannot serialize null: only plain objects, arrays, strings, numbers and booleans (at .a)');
    expect(() => emitYaml({ when: new Date(0) })).toThrow('cannot serialize a Date object');
    expect(() => emitYaml({ labels: new Map() })).toThrow('cannot serialize a Map object');
    expect(() => emitYaml({ n: 1n })).toThrow('cannot serialize a bigint');
    expect(() => emitYaml({ f: () => 1 })).toThrow('cannot serialize a function');
    expect(() => emitYaml([Symbol('s')])).toThrow('cannot serialize a symbol');
    expect(() => emitYaml(undefined)).toThrow('cannot serialize undefined');
    expect(() => emitYaml({ level: Infinity })).toThrow(
      'cannot serialize the number Infinity: it has no meaning in generated configuration (at .level)',
    );
    expect(() => emitYaml({ ['k'.repeat(1025)]: 1 })).toThrow('cannot serialize a key of 1025 characters: YAML keys are at most 1024');
  });

  test('an object without a prototype is plain data', () => {
    expect(emitYaml(Object.assign(Object.create(null) as object, { a: 1 }))).toBe('a: 1\n');
  });
});

describe("Go's YAML reader", () => {
  test('promtool reads every table and generated string back exactly, as a label value', () => {
    const next = random(7);
    const generated = Array.from({ length: 500 }, () => trickyString(next));
    // Label values are UTF-8: no lone surrogates; an empty value is no label at all.
    const values = [...new Set([...table.map(([value]) => value), ...generated])].filter((value) => value !== '' && !/\p{Cs}/u.test(value));
    const rules = {
      groups: [{ name: 'strings', rules: values.map((v, i) => ({ record: `string_${i}`, expr: 'vector(1)', labels: { v } })) }],
    };
    const tests = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [],
          promql_expr_test: values.map((v, i) => ({
            expr: `string_${i}`,
            eval_time: '0m',
            exp_samples: [{ labels: `string_${i}{v=${JSON.stringify(v)}}`, value: 1 }],
          })),
        },
      ],
    };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'monforge-yaml-'));
    try {
      writeFileSync(path.join(dir, 'rules.yml'), emitYaml(rules));
      writeFileSync(path.join(dir, 'tests.yml'), emitYaml(tests));
      expect(execFileSync('promtool', ['test', 'rules', 'tests.yml'], { cwd: dir, encoding: 'utf8' })).toContain('SUCCESS');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
