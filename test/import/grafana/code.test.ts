import { describe, expect, it } from 'vitest';
import { print, string } from '../../../src/import/grafana/code.ts';

// A printed string is a TypeScript literal that evaluates to the string itself.
const evaluate = (literal: string): unknown => new Function(`return ${literal};`)();

describe('the code printer', () => {
  it('writes one-line strings in single quotes and PromQL over several lines in backquotes, escaped', () => {
    const oneLine = `rate(x{path=~"a\\\\.b",q='1'}[5m])`;
    const lines = 'sum by (job) (up)\n/ on (`job`) ${count}\n\\ end';
    expect(print(string(oneLine))).toMatch(/^'.*'$/);
    expect(print(string(lines))).toMatch(/^`[\s\S]*`$/);
    for (const value of [oneLine, lines]) expect(evaluate(print(string(value)))).toBe(value);
  });
});
