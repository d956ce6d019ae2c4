import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeErrors } from '../../src/check/typecheck.ts';

// check type-checks the definitions and what they import, under the project's compiler options;
// the rest of the project is its own build's to check.

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'monforge-typecheck-'));
  await mkdir(path.join(root, 'definitions'));
  await mkdir(path.join(root, 'app'));
  await mkdir(path.join(root, 'node_modules'));
  await writeFile(
    path.join(root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'preserve', moduleResolution: 'bundler', allowImportingTsExtensions: true },
      include: ['definitions', 'app'],
    }),
  );
  await writeFile(path.join(root, 'app/server.ts'), 'export const port: number = "8080";\n');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the type-check of check', () => {
  it('covers the definitions and what they import, not the rest of the project, and leaves no file behind', async () => {
    await writeFile(path.join(root, 'definitions/shared.ts'), 'export const team = "payments";\n');
    await writeFile(path.join(root, 'definitions/service.ts'), "import { team } from './shared.ts';\nexport const name: string = team;\n");
    expect(await typeErrors(root)).toEqual([]);
    await writeFile(path.join(root, 'definitions/shared.ts'), 'export const team = 42;\n');
    const [finding] = await typeErrors(root);
    expect(finding).toMatch(
      /^the definitions do not type-check \(tsc\) \[check\/type-errors\]\ndefinitions\/service\.ts\(2,14\): error TS2322: /,
    );
    expect(finding).not.toContain('app/server.ts');
    expect(await readdir(path.join(root, 'node_modules/.cache/monforge'))).toEqual([]);
  });

  it('that outlives its deadline is killed and said to be a fault of the run, with its own id', async () => {
    // The project's own TypeScript, which check runs when there is one: here one that never ends.
    const typescript = path.join(root, 'node_modules/typescript');
    await mkdir(path.join(typescript, 'bin'), { recursive: true });
    await writeFile(path.join(typescript, 'package.json'), '{ "name": "typescript", "version": "0.0.0" }\n');
    await writeFile(path.join(typescript, 'bin/tsc'), 'setInterval(() => {}, 1000);\n');
    try {
      expect(await typeErrors(root, 2000)).toEqual([
        'the type-check (tsc) did not finish within 2s and was killed [check/type-check-timeout]',
      ]);
    } finally {
      await rm(typescript, { recursive: true, force: true });
    }
  });
});
