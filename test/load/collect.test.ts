import { describe, expect, it } from 'vitest';
import { collectExports, definitionFiles } from '../../src/load/collect.ts';
import { loadPlatform } from '../../src/load/load.ts';
import { fixtureRoot } from '../helpers/index.ts';

describe('definitions exported in collections', () => {
  it('loads services held in exported arrays and plain objects, nested too, and the default export', async () => {
    const platform = await loadPlatform(fixtureRoot('collections'));
    expect(platform.services.map((service) => service.name).sort()).toEqual([
      'gateway-eu',
      'gateway-us',
      'indexer',
      'mailer',
      'resizer',
      'scheduler',
    ]);
  });

  it('names each by its path from the export', async () => {
    const root = fixtureRoot('collections');
    const { exported, failures } = await collectExports(root, await definitionFiles(root));
    expect(failures).toEqual([]);
    expect(exported.map((item) => item.exportName).sort()).toEqual([
      'byRegion.eu.gateway',
      'byRegion["us-east"][0]',
      'config',
      'default',
      'fleet[0]',
      'fleet[1]',
      'fleet[2]',
      'platformTeam',
    ]);
  });
});
