import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/index.ts';
import { sentence } from '../../src/diff/format/describe.ts';
import { diffTrees } from '../../src/diff/index.ts';
import { parseGeneratedTree, type GeneratedTree } from '../../src/reader/index.ts';
import { counter, defineConfig, defineService, defineTeam, pagerduty, ratioSlo, re, select, type Duration } from '../../src/index.ts';
import { buildPlatform } from '../../src/load/load.ts';

const requests = counter({ name: 'http_requests_total', help: 'Requests.', labels: ['code'] });

/** The generated tree of one service with one SLO, compiled in memory. */
function tree(slo: { objective: number; window?: Duration; page?: boolean }, label: string): GeneratedTree {
  const platform = buildPlatform(
    [
      { source: 'definitions/platform.ts', exportName: 'config', value: defineConfig({ runbookBaseUrl: 'https://runbooks.example.com/' }) },
      {
        source: 'definitions/platform.ts',
        exportName: 'team',
        value: defineTeam({
          name: 'platform',
          receivers: { pager: pagerduty({ routingKeyFile: '/etc/secrets/pd' }) },
          notify: { critical: ['pager'], high: ['pager'], warning: ['pager'] },
        }),
      },
      {
        source: 'definitions/api.ts',
        exportName: 'api',
        value: defineService({
          name: 'api',
          team: 'platform',
          tier: 'critical',
          selector: { job: 'api' },
          slos: [
            ratioSlo({
              name: 'availability',
              objective: slo.objective,
              errors: select(requests, { code: re('5..') }),
              total: select(requests),
              ...(slo.window && { window: slo.window }),
              ...(slo.page === false && { tiers: { page: { disabled: true } } }),
            }),
          ],
        }),
      },
    ],
    (error) => {
      throw new Error(`${error.path.join(' › ')}: ${error.message}`);
    },
  )!;
  return parseGeneratedTree(compile(platform), label);
}

const sloChanges = (before: GeneratedTree, after: GeneratedTree): string[] =>
  diffTrees(before, after)
    .changes.filter((change) => change.kind === 'slo')
    .map(sentence);

describe('SLO changes', () => {
  it('follow a window change through the budget and the burn-rate conditions, exactly', () => {
    expect(sloChanges(tree({ objective: 99.9 }, 'base'), tree({ objective: 99.9, window: '28d' }, 'head'))).toEqual([
      'SLO api/availability: window 30d → 28d',
      'SLO api/availability: error budget 43m12s per 30d → 40m19.2s per 28d',
      'SLO api/availability: page at 1.44 % over 1h and 5m (14.4×) or 0.6 % over 6h and 30m (6×) → 1.344 % over 1h and 5m (13.44×) or 0.56 % over 6h and 30m (5.6×)',
      'SLO api/availability: ticket at 0.3 % over 1d and 2h (3×) or 0.1 % over 3d and 6h (1×) → 0.28 % over 1d and 2h (2.8×) or 0.09333 % over 3d and 6h (0.9333×)',
    ]);
  });

  it('report a tier turned off, and SLOs added or removed', () => {
    expect(sloChanges(tree({ objective: 99.9 }, 'base'), tree({ objective: 99.9, page: false }, 'head'))).toEqual([
      'SLO api/availability: page tier removed',
    ]);
    const empty = parseGeneratedTree(new Map(), 'empty');
    expect(sloChanges(empty, tree({ objective: 99.95 }, 'head'))).toEqual([
      'SLO api/availability: added: 99.95 % over 30d, error budget 21m36s',
    ]);
    expect(sloChanges(tree({ objective: 99.95 }, 'base'), empty)).toEqual([
      'SLO api/availability: removed (was 99.95 % over 30d, error budget 21m36s)',
    ]);
  });
});
