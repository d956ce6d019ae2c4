import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monforge, scratchCopy } from '../helpers/index.ts';

// The bin imports every definitions file at once, through one module that imports them all in
// file order (vitest's loader cannot, so only the real bin shows it): files are evaluated in file
// order, as one by one, so definitions that share a module's state give the same bytes every
// run; and a file that fails is still named, as importing one by one names it.

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ root, cleanup } = await scratchCopy('platform'));
});
afterAll(() => cleanup());

const write = (file: string, text: string) => writeFile(path.join(root, 'definitions', file), text);
const monforgeIndex = "'../../../../src/index.ts'";

/** A team whose Slack channel is `#<name>-` and what the files before it pushed to `seen.ts`, in order. */
const lastTeam = (name: string): string => `import { defineTeam, pagerduty, slack } from ${monforgeIndex};
import { seen } from './seen.ts';

export const lastTeam = defineTeam({
  name: '${name}',
  receivers: {
    pager: pagerduty({ routingKeyFile: '/etc/alertmanager/secrets/${name}-pagerduty' }),
    slack: slack({ channel: \`#${name}-\${seen.join('-')}\`, apiUrlFile: '/etc/alertmanager/secrets/slack-${name}' }),
  },
  notify: { critical: ['pager'], high: ['slack'], warning: ['slack'], info: ['slack'] },
});
`;

/** generate writes the last team with this Slack channel; then the files (under definitions/) are removed. */
async function expectChannel(channel: string, written: readonly string[]): Promise<void> {
  try {
    const generated = await monforge(root, 'generate');
    expect(generated.stderr).toBe('');
    expect(await readFile(path.join(root, 'generated/alertmanager/alertmanager.yml'), 'utf8')).toContain(`channel: "${channel}"`);
  } finally {
    for (const file of written) await rm(path.join(root, 'definitions', file), { recursive: true });
  }
}

describe('importing the definitions together', () => {
  it('evaluates the files in file order, as importing them one by one does, across batches', async () => {
    // More files than one batch imports together (32), each noting its name in a shared module.
    const noting = Array.from({ length: 40 }, (_, index) => `n${String(index).padStart(2, '0')}.ts`);
    await write('order.ts', 'export const seen: string[] = [];\n');
    for (const file of noting) await write(file, `import { seen } from './order.ts';\n\nseen.push('${file}');\n`);
    await write(
      'z-last.ts',
      `import { defineTeam, pagerduty, slack } from ${monforgeIndex};
import { seen } from './order.ts';

const inOrder = seen.every((name, index) => index === 0 || seen[index - 1]! < name);
export const orderTeam = defineTeam({
  name: 'order',
  receivers: {
    pager: pagerduty({ routingKeyFile: '/etc/alertmanager/secrets/order-pagerduty' }),
    slack: slack({ channel: \`#order-\${seen.length}-\${inOrder ? 'in-order' : 'shuffled'}\`, apiUrlFile: '/etc/alertmanager/secrets/slack-order' }),
  },
  notify: { critical: ['pager'], high: ['slack'], warning: ['slack'], info: ['slack'] },
});
`,
    );
    try {
      const generated = await monforge(root, 'generate');
      expect(generated.stderr).toBe('');
      expect(await readFile(path.join(root, 'generated/alertmanager/alertmanager.yml'), 'utf8')).toContain('channel: "#order-40-in-order"');
    } finally {
      for (const file of ['order.ts', 'z-last.ts', ...noting]) await rm(path.join(root, 'definitions', file));
    }
  });

  it('resolves a specifier once per folder: the same relative import from two folders is two files', async () => {
    // The hooks keep each resolution by the importing file's folder (bin/esm-hooks.js).
    await mkdir(path.join(root, 'definitions/a'));
    await mkdir(path.join(root, 'definitions/b'));
    await write('seen.ts', 'export const seen: string[] = [];\n');
    for (const folder of ['a', 'b']) {
      await write(`${folder}/local.ts`, `export const name = '${folder}';\n`);
      // Twice from each folder, once written `.js` as tsc's NodeNext style asks (tsx maps it to the .ts file).
      await write(`${folder}/one.ts`, "import { seen } from '../seen.ts';\nimport { name } from './local.ts';\n\nseen.push(name);\n");
      await write(`${folder}/two.ts`, "import { seen } from '../seen.ts';\nimport { name } from './local.js';\n\nseen.push(name);\n");
    }
    await write('z-last.ts', lastTeam('local'));
    await expectChannel('#local-a-a-b-b', ['a', 'b', 'seen.ts', 'z-last.ts']);
  });

  it('loads the TypeScript of a package that is not "type": "module" as ES modules, imported by name or by default', async () => {
    // tsx would take such a file, imported by name, for CommonJS, and its own imports would then
    // be required uncompiled (bin/esm-hooks.js); it also resolves a CommonJS module by how each
    // importing file imports it, so such resolutions are not kept by folder.
    await mkdir(path.join(root, 'definitions/cjs'));
    await write('cjs/package.json', '{ "type": "commonjs" }\n');
    await write('cjs/base.ts', "export const base: string = 'named';\n");
    await write('cjs/shared.ts', "import { base } from './base.ts';\n\nexport const named: string = base;\nexport default 'dflt';\n");
    await write('a-named.ts', "import { seen } from './seen.ts';\nimport { named } from './cjs/shared.ts';\n\nseen.push(named);\n");
    // In a later batch (32 files between them), so the first resolution is done when the second is asked for.
    const between = Array.from({ length: 32 }, (_, index) => `m${String(index).padStart(2, '0')}.ts`);
    for (const file of between) await write(file, 'export {};\n');
    await write('y-default.ts', "import { seen } from './seen.ts';\nimport dflt from './cjs/shared.ts';\n\nseen.push(String(dflt));\n");
    await write('seen.ts', 'export const seen: string[] = [];\n');
    await write('z-last.ts', lastTeam('cjs'));
    await expectChannel('#cjs-named-dflt', ['cjs', 'a-named.ts', 'y-default.ts', 'seen.ts', 'z-last.ts', ...between]);
  });

  it('names each file that fails to import, whether it throws or does not parse', async () => {
    await write('b-throws.ts', "throw new Error('DATABASE_URL is not set');\n");
    await write('c-broken.ts', 'export const = 1;\n');
    try {
      const generated = await monforge(root, 'generate', '--check');
      expect(generated.code).toBe(1);
      expect(generated.stderr).toContain(
        'definitions/b-throws.ts: cannot be imported: DATABASE_URL is not set [definitions/import-failed]',
      );
      expect(generated.stderr).toMatch(
        /definitions\/c-broken\.ts: cannot be imported: [^[]*Expected identifier but found "=" \[definitions\/import-failed\]/,
      );
    } finally {
      for (const file of ['b-throws.ts', 'c-broken.ts']) await rm(path.join(root, 'definitions', file));
    }
  });
});
