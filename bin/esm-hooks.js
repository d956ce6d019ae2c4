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
// `./x.js` to x.ts from a TypeScript file), so each answer is kept: a
// thousand definitions files each importing 'monforge' and '../metrics.ts' are resolved by tsx
// twice, not two thousand times. A reload marks its files anew, so it resolves afresh.
const typescript = /\.(ts|tsx)$/;
const reload = 'monforge-reload';
const resolvedFrom = new Map();

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
  resolvedFrom.set(key, resolved);
  return resolved;
}

async function resolveOnce(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const url = new URL(resolved.url);
  if (url.protocol !== 'file:' || url.pathname.includes('/node_modules/')) return resolved;
  const mark = context.parentURL && URL.canParse(context.parentURL) ? new URL(context.parentURL).searchParams.get(reload) : null;
  const marked = mark !== null && !url.searchParams.has(reload);
  if (marked) url.searchParams.set(reload, mark);
  const format = typescript.test(url.pathname) ? { format: 'module' } : {};
  return { ...resolved, ...(marked && { url: url.href }), ...format };
}
