import { describe, expect, it } from 'vitest';
import type { Exported } from '../../src/load/collect.ts';
import type { DefinitionError } from '../../src/load/errors.ts';
import { buildPlatform } from '../../src/load/load.ts';
import { LoadMemo } from '../../src/load/memo.ts';
import { definePolicy, defineService, ratioSlo, select } from '../../src/index.ts';
import { requests, syntheticPlatform } from '../../scripts/synthetic-platform.ts';

// A load of generate --watch hands the same objects for definitions imported again unchanged
// (load/memo.ts): what loading worked out for them is kept, their problems reported again.

const liveness = (warning: number): Exported => ({
  source: 'definitions/policies.ts',
  exportName: 'liveness',
  value: definePolicy({ name: 'liveness', liveness: { levels: { warning, critical: 50 }, for: '5m' } }),
});

/** A service whose SLO reads a label its metric does not have: one problem, at load. */
const broken: Exported = {
  source: 'definitions/broken.ts',
  exportName: 'service',
  value: defineService({
    name: 'broken',
    team: 'team-0',
    tier: 'low',
    selector: { job: 'broken' },
    // @ts-expect-error `zone` is no label of the metric: the types refuse it, and so does the load.
    slos: [ratioSlo({ name: 'availability', objective: 99, errors: select(requests, { zone: 'a' }), total: select(requests) })],
  }),
};

function load(exported: readonly Exported[], memo?: LoadMemo): { platform: ReturnType<typeof buildPlatform>; errors: DefinitionError[] } {
  const errors: DefinitionError[] = [];
  return { platform: buildPlatform(exported, (error) => errors.push(error), 'definitions', true, {}, memo), errors };
}

describe('a load that keeps what the one before worked out', () => {
  const exported = [...syntheticPlatform(3), liveness(10)];

  it('gives the same service and config objects for the same definitions, with their policy alerts', () => {
    const memo = new LoadMemo();
    const first = load(exported, memo).platform!;
    const second = load(exported, memo).platform!;
    expect(first.services.map((service) => service.alerts!.length)).toEqual([6, 6, 6]); // five of their own, the policy's
    expect(second.services.map((service, index) => service === first.services[index])).toEqual([true, true, true]);
    expect(second.config).toBe(first.config);
    // Without a memo, every load makes them anew.
    expect(load(exported).platform!.services[0]).not.toBe(first.services[0]);
  });

  it('expands every service again when a policy is a new object, and only a service that is one itself', () => {
    const memo = new LoadMemo();
    const definitions = syntheticPlatform(3);
    const first = load([...definitions, liveness(10)], memo).platform!;
    const stricter = liveness(20);
    const policy = load([...definitions, stricter], memo).platform!;
    expect(policy.services.map((service, index) => service === first.services[index])).toEqual([false, false, false]);
    const edited = load([...definitions.slice(0, -1), syntheticPlatform(3).at(-1)!, stricter], memo).platform!;
    expect(edited.services.map((service, index) => service === policy.services[index])).toEqual([true, true, false]);
  });

  it('reports the problems of an unchanged definition on every load', () => {
    const memo = new LoadMemo();
    const first = load([...exported, broken], memo);
    const second = load([...exported, broken], memo);
    expect(first.errors.map((error) => error.message)).toEqual([expect.stringContaining('zone')]);
    expect(second.errors).toEqual(first.errors);
  });
});
