#!/usr/bin/env node
// Definitions are TypeScript: tsx compiles them as they load, as ES modules in any package type
// (esm-hooks.js). A source checkout runs src/ through tsx too; the package runs the JS in dist/.
import { existsSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

/**
 * The project's tsconfig.json (its path aliases, its JSX settings), found from --root upward as
 * TypeScript finds it; without --root tsx looks from the working directory itself.
 */
function projectTsconfig(args) {
  const { root } = parseArgs({ args, options: { root: { type: 'string' } }, strict: false, allowPositionals: true }).values;
  if (typeof root !== 'string') return undefined;
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'tsconfig.json');
    if (existsSync(file)) return file;
    if (dir === path.dirname(dir)) return undefined;
  }
}

const source = new URL('../src/cli.ts', import.meta.url);
const fromSource = existsSync(source);
// The package's own JavaScript loads before the hooks are in place: only the project's files go
// through them (each module a hook passes is a round trip to the hooks' thread).
const installed = fromSource ? undefined : await import('../dist/cli.js');
await installed?.preload(process.argv.slice(2));
const tsconfig = projectTsconfig(process.argv.slice(2));
// Registered first, so that it runs last: under tsx, which gets each project file's source from it.
module.register('./esm-source.js', import.meta.url);
register(tsconfig ? { tsconfig } : {});
module.register('./esm-hooks.js', import.meta.url);
const { main } = installed ?? (await import(source.href));
process.exitCode = await main(process.argv.slice(2));
