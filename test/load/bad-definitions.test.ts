import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DefinitionErrors } from '../../src/load/errors.ts';
import { loadPlatform } from '../../src/load/load.ts';

// Each fixture under test/fixtures/bad/<case>/definitions is a platform with a mistake; the
// loader must report exactly the lines of <case>/expected.txt beside it (file › service ›
// object › field: message), all at once.
const fixtures = path.resolve(import.meta.dirname, '../fixtures/bad');
const cases = readdirSync(fixtures, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(fixtures, entry.name, 'expected.txt')))
  .map((entry) => entry.name)
  .sort();
const expected = (fixture: string): string[] =>
  readFileSync(path.join(fixtures, fixture, 'expected.txt'), 'utf8')
    .trimEnd()
    .split('\n');

async function messages(fixture: string): Promise<string[]> {
  try {
    await loadPlatform(path.join(fixtures, fixture));
  } catch (error) {
    // A message may name the fixture's absolute path: <fixture> in expected.txt.
    if (error instanceof DefinitionErrors) return error.message.replaceAll(path.join(fixtures, fixture), '<fixture>').split('\n');
    throw error;
  }
  throw new Error(`${fixture} loaded without errors`);
}

describe('bad definitions', () => {
  it.each(cases)('%s', async (fixture) => {
    expect(await messages(fixture)).toEqual(expected(fixture));
  });

  it('covers at least 15 kinds of mistakes', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });
});
