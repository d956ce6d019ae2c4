#!/usr/bin/env node
// Definitions are TypeScript: tsx compiles them as they load, as ES modules in any package type
// (esm-hooks.js). A source checkout runs src/ through tsx too; the package runs the JS in dist/.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { register } from 'tsx/esm/api';

register();
module.register('./esm-hooks.js', import.meta.url);
const source = new URL('../src/cli.ts', import.meta.url);
const { main } = await import(existsSync(source) ? source.href : '../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
