// Module hooks (registered by bin/monforge.js after tsx's): a project's .ts files load as ES
// modules whatever its package.json "type" says. tsx would otherwise turn them into CommonJS in
// a "commonjs" package, and their `import ... from 'monforge'` would then require() an ES module.
//
// `generate --watch` imports a changed definitions file again under a new URL
// (`?monforge-reload=N`); the project files it imports get the same mark, so they are
// evaluated afresh too instead of coming from the module cache. Packages keep their one copy.
const typescript = /\.(ts|tsx)$/;
const reload = 'monforge-reload';

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const url = new URL(resolved.url);
  if (url.protocol !== 'file:' || url.pathname.includes('/node_modules/')) return resolved;
  const mark = context.parentURL && URL.canParse(context.parentURL) ? new URL(context.parentURL).searchParams.get(reload) : null;
  const marked = mark !== null && !url.searchParams.has(reload);
  if (marked) url.searchParams.set(reload, mark);
  const format = typescript.test(url.pathname) ? { format: 'module' } : {};
  return { ...resolved, ...(marked && { url: url.href }), ...format };
}
