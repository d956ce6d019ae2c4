import { describe, expect, test } from 'vitest';
import { assertSafePaths, compareBytes, mergeFileSets, sortedPaths } from '../../src/output/fileset.ts';

describe('mergeFileSets', () => {
  test('keeps every file of disjoint sets', () => {
    const merged = mergeFileSets(new Map([['a.yml', 'A']]), new Map([['b/c.json', 'C']]), new Map());
    expect([...merged]).toEqual([
      ['a.yml', 'A'],
      ['b/c.json', 'C'],
    ]);
  });

  test('names the path two sets both produce', () => {
    const prometheus = new Map([['prometheus/rules/api.rules.yml', 'x']]);
    const again = new Map([['prometheus/rules/api.rules.yml', 'y']]);
    expect(() => mergeFileSets(prometheus, again)).toThrow('two outputs produce the same file: prometheus/rules/api.rules.yml');
  });
});

describe('sortedPaths', () => {
  test('sorts by UTF-8 bytes, not by UTF-16 code units or locale', () => {
    // U+FF21 is EF BC A1 in UTF-8, U+1F600 is F0 9F 98 80: bytes put U+FF21 first,
    // while the default sort compares the surrogate 0xD83D < 0xFF21 and puts the emoji first.
    const set = new Map(['b', '\u{1F600}', 'a/b', '\uFF21', 'B', 'a.b'].map((p) => [p, '']));
    expect(sortedPaths(set)).toEqual(['B', 'a.b', 'a/b', 'b', '\uFF21', '\u{1F600}']);
    expect(compareBytes('\uFF21', '\u{1F600}')).toBeLessThan(0);
  });
});

describe('assertSafePaths', () => {
  test.each(['/etc/passwd', '../x', 'a/../../x', 'a/./b', './a', 'a//b', 'a/', '', 'a\\b', 'C:/x', 'c:x', 'a\0b'])('rejects %j', (path) => {
    expect(() =>
      assertSafePaths(
        new Map([
          ['ok.yml', ''],
          [path, ''],
        ]),
      ),
    ).toThrow(`unsafe output path ${JSON.stringify(path)}`);
  });

  test('accepts nested relative paths, including dots inside names', () => {
    expect(() =>
      assertSafePaths(
        new Map([
          ['prometheus/rules/api.rules.yml', ''],
          ['..hidden/.x', ''],
          ['a..b', ''],
        ]),
      ),
    ).not.toThrow();
  });
});
