#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so definitions/*.ts and src/ load without a build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
