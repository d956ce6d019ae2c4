import { describe, expect, it } from 'vitest';
import { staleReferences } from '../../scripts/docs/main.ts';
import { publicApi } from '../../scripts/docs/exports.ts';
import { repoRoot } from '../helpers/index.ts';

// docs/reference/ is generated from the code like generated/ is from definitions/.
describe('the generated references', () => {
  it('are up to date (run `npm run docs` after changing exports, commands or findings)', async () => {
    expect(await staleReferences()).toEqual([]);
  });

  it('document every export of monforge and monforge/instrument with its TSDoc', async () => {
    for (const entry of ['src/index.ts', 'src/instrument/index.ts']) {
      const api = await publicApi(repoRoot, entry);
      expect(api.length).toBeGreaterThan(entry === 'src/index.ts' ? 100 : 5);
      expect(api.filter((declared) => declared.doc === '').map((declared) => `${declared.module}: ${declared.name}`)).toEqual([]);
    }
  });
});
