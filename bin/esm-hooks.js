// Module hooks (registered by bin/monforge.js after tsx's): a project's .ts files load as ES
// modules whatever its package.json "type" says. tsx would otherwise turn them into CommonJS in
// a "commonjs" package, and their `import ... from 'monforge'` would then require() an ES module.
const typescript = /\.(ts|tsx)$/;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const { pathname, protocol } = new URL(resolved.url);
  if (protocol !== 'file:' || !typescript.test(pathname) || pathname.includes('/node_modules/')) return resolved;
  return { ...resolved, format: 'module' };
}
