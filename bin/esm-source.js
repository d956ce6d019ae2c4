// Module hooks registered by bin/monforge.js before tsx's, so that tsx's load hook gets a
// project file's source from here. Hooks run on one thread for the whole process, where the
// default load's asynchronous read is four round trips through the thread pool; a synchronous
// read from the page cache is a fraction of that. At a thousand definitions files the import
// takes a third of a second less.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function load(url, context, nextLoad) {
  // Only ES modules of the project: packages, CommonJS (read by its own loader), JSON and the rest
  // go the default way, as does an import with attributes (the default load checks them).
  const plain = context.format === 'module' && url.startsWith('file:') && !url.includes('/node_modules/');
  if (!plain || Object.keys(context.importAttributes ?? {}).length > 0) return nextLoad(url, context);
  return { format: 'module', source: readFileSync(fileURLToPath(url)), shortCircuit: true };
}
