import { describe, expect, it } from 'vitest';
import { parsePayload, payloadError, payloadSchema } from '../../src/webhook/payload.ts';
import { alert, payload } from './harness.ts';

/** What the schema alone answers: its output, or the 400 reply's error. */
function bySchema(json: unknown): unknown {
  const parsed = payloadSchema.safeParse(json);
  return parsed.success ? parsed.data : payloadError(parsed.error);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const base = JSON.parse(
  JSON.stringify(
    payload([
      alert({ alertname: 'ApiDown', service: 'api', instance: 'a' }),
      alert({ alertname: 'ApiDown', service: 'api', instance: 'b' }, { status: 'resolved', startsAt: '2024-05-01T10:00:00+02:00' }),
    ]),
  ),
) as { [key: string]: Json };

const odd: Json[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53,
  4,
  '',
  'x',
  '4',
  'firing',
  'resolved',
  'pending',
  [],
  ['x'],
  {},
  { a: 'x' },
  { a: 1 },
  { a: null },
  '2024-05-01T10:00:00Z',
  '2024-05-01T10:00:00.5-07:30',
  '0001-01-01T00:00:00Z',
  '2024-02-30T10:00:00Z',
  '2024-05-01 10:00:00Z',
  '2024-05-01T10:00:00',
  '2024-05-01T24:00:00Z',
];

/** Every path to a value in `value`, the root excluded. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...paths((value as Record<string | number, Json>)[key]!, [...prefix, key])]);
}

/** A copy of `root` (as JSON text, so that own `__proto__` keys survive) with `change` applied at `path`. */
function variant(
  root: Json,
  path: (string | number)[],
  change: (parent: Record<string | number, Json>, key: string | number) => void,
): string {
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  change(parent, path.at(-1)!);
  return JSON.stringify(copy);
}

function variants(): string[] {
  const texts = [JSON.stringify(base), '[]', 'null', '"4"', '{}'];
  for (const path of paths(base)) {
    texts.push(variant(base, path, (parent, key) => (Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key])));
    for (const value of odd)
      texts.push(
        variant(base, path, (parent, key) => {
          parent[key] = value;
        }),
      );
    for (const key of ['extra', '__proto__', 'constructor', '1']) {
      for (const value of ['x', 5, null]) {
        texts.push(
          variant(base, path, (parent, at) => {
            const target = parent[at];
            if (target !== null && typeof target === 'object' && !Array.isArray(target))
              Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
          }),
        );
      }
    }
  }
  for (const key of ['extra', '__proto__', 'constructor'])
    texts.push(variant({ root: base }, ['root'], (parent) => Object.defineProperty(parent.root, key, { value: 'x', enumerable: true })));
  return [...new Set(texts)];
}

describe('parsePayload', () => {
  it('answers as the schema does, output and error, for valid and broken payloads alike', () => {
    let valid = 0;
    for (const text of variants()) {
      const expected = bySchema(JSON.parse(text));
      const actual = parsePayload(JSON.parse(text));
      expect({ text, actual }).toStrictEqual({ text, actual: expected });
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected)); // the same keys in the same order
      if (typeof expected !== 'string') valid += 1;
    }
    expect(valid).toBeGreaterThan(50); // the mutations do not all break the payload
  });

  it('drops unknown keys and __proto__ from what it keeps', () => {
    const text = JSON.stringify(base)
      .replace('"labels":{', '"labels":{"__proto__":{"polluted":"yes"},"extra":"y",')
      .replace('"version":"4"', '"version":"4","unknown":1');
    const parsed = parsePayload(JSON.parse(text));
    expect(typeof parsed).toBe('object');
    expect(Object.getPrototypeOf((parsed as Exclude<typeof parsed, string>).alerts[0]!.labels)).toBe(Object.prototype);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(bySchema(JSON.parse(text))));
    expect(JSON.stringify(parsed)).not.toContain('unknown');
  });

  it('leaves objects JSON.parse does not make to the schema', () => {
    for (const odd of [new Map([['a', 'b']]), new Date(0), new (class Labels {})(), Object.create({ inherited: 'x' }) as object]) {
      const json = { ...base, groupLabels: odd };
      expect(parsePayload(json)).toStrictEqual(bySchema(json));
    }
  });
});
