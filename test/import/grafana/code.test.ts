import { describe, expect, it } from 'vitest';
import { construct, json, print, raw, string } from '../../../src/import/grafana/code.ts';

// A printed string is a TypeScript literal that evaluates to the string itself.
const evaluate = (literal: string): unknown => new Function(`return ${literal};`)();

describe('the code printer', () => {
  it('writes one-line strings in single quotes and long PromQL over several lines in backquotes, escaped', () => {
    const oneLine = `rate(x{path=~"a\\\\.b",q='1'}[5m])`;
    const lines = 'sum by (job) (rate(http_requests_total[5m]))\n/ on (`job`) ${count}\n\\ end of the expression';
    const short = 'a\nb';
    const crlf = `${lines}\r\n`;
    expect(print(string(oneLine))).toMatch(/^'.*'$/);
    expect(print(string(lines))).toMatch(/^`[\s\S]*`$/);
    expect(print(string(short))).toBe("'a\\nb'");
    // A template literal would read its carriage return as a line feed.
    expect(print(string(crlf))).toMatch(/^'.*\\r\\n'$/);
    for (const value of [oneLine, lines, short, crlf]) expect(evaluate(print(string(value)))).toBe(value);
  });

  it('breaks what does not fit in 140 columns: arguments, arrays and objects one per line, keys quoted where they must be', () => {
    const long = 'x'.repeat(70);
    expect(print(construct('Builder', [string(long), string(long)]))).toBe(`new Builder(\n  '${long}',\n  '${long}',\n)`);
    expect(print(json({ 'a-b': [long, long], c: null }))).toBe(`{\n  'a-b': [\n    '${long}',\n    '${long}',\n  ],\n  c: null,\n}`);
    expect(print({ kind: 'arrow', body: construct('B', [string(long), string(long)]) })).toBe(
      `() =>\n  new B(\n    '${long}',\n    '${long}',\n  )`,
    );
    expect(print(raw('dashboard.Kind.A'))).toBe('dashboard.Kind.A');
  });
});
