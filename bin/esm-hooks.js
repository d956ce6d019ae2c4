// Module hooks (registered by bin/monforge.js after tsx's): a project's .ts files load as ES
// modules whatever its package.json "type" says. tsx would otherwise turn them into CommonJS in
// a "commonjs" package, and their `import ... from 'monforge'` would then require() an ES module.
//
// `generate --watch` imports a changed definitions file again under a new URL
// (`?monforge-reload=N`); the project files it imports get the same mark, so they are
// evaluated afresh too instead of coming from the module cache. Packages keep their one copy.
//
// What a specifier resolves to from a project file depends only on the folder the file is in
// (and its extension, its reload mark, the conditions and the import attributes: tsx maps
// `./x.js` to x.ts from a TypeScript file), so each answer is kept: a thousand definitions files
// each importing 'monforge' and '../metrics.ts' are resolved by tsx twice, not two thousand
// times. A reload marks its files anew, so it resolves afresh. Not kept: a CommonJS module,
// which tsx resolves by how the importing file's own source imports it (named imports get a
// URL of their own), nor any URL tsx marked with a query of its own.
const typescript = /\.(ts|tsx)$/;
const reload = 'monforge-reload';
const resolvedFrom = new Map();
const keptFormats = new Set(['module', 'json', 'builtin']);

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (!parent?.startsWith('file:')) return resolveOnce(specifier, context, nextResolve);
  const query = parent.indexOf('?');
  const path = query === -1 ? parent : parent.slice(0, query);
  const slash = path.lastIndexOf('/');
  const extension = path.slice(slash).replace(/^[^.]*/, '');
  const key = JSON.stringify([
    specifier,
    path.slice(0, slash),
    extension,
    parent.slice(path.length),
    context.conditions,
    context.importAttributes,
  ]);
  const known = resolvedFrom.get(key);
  if (known) return { ...known, shortCircuit: true };
  const resolved = await resolveOnce(specifier, context, nextResolve);
  if (keptFormats.has(resolved.format) && !resolved.url.includes('tsx-')) resolvedFrom.set(key, resolved);
  return resolved;
}

async function resolveOnce(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const url = new URL(resolved.url);
  if (url.protocol !== 'file:' || url.pathname.includes('/node_modules/')) return resolved;
  const unwrapped = unwrapCommonJs(url);
  const mark = context.parentURL && URL.canParse(context.parentURL) ? new URL(context.parentURL).searchParams.get(reload) : null;
  const marked = mark !== null && !url.searchParams.has(reload);
  if (marked) url.searchParams.set(reload, mark);
  const format = typescript.test(url.pathname) ? { format: 'module' } : {};
  return { ...resolved, ...((marked || unwrapped) && { url: url.href }), ...format };
}

/**
 * tsx takes a TypeScript file of a package that is not "type": "module", imported by name (as
 * the definitions are, `import * as`), for CommonJS: it resolves it to a URL of its own
 * (`x.ts%3Ftsx-commonjs-export-preparse=1?tsx-…`), and the file then require()s the project files
 * it imports without compiling them. Project TypeScript loads as ES modules here, so that URL
 * becomes the file's own again. Whether it was one.
 */
function unwrapCommonJs(url) {
  const tsx = [...url.searchParams.keys()].filter((key) => key.startsWith('tsx-'));
  const query = url.pathname.indexOf('%3F');
  if (tsx.length === 0 || query === -1 || !typescript.test(url.pathname.slice(0, query))) return false;
  url.pathname = url.pathname.slice(0, query);
  for (const key of tsx) url.searchParams.delete(key);
  return true;
}
