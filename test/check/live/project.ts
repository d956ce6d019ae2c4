import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PrometheusClient } from '../../../src/check/live/client.ts';
import { liveCheck, type LiveOptions } from '../../../src/check/live/index.ts';
import type { LiveReport } from '../../../src/check/live/types.ts';
import { compile } from '../../../src/compile/index.ts';
import { definitionFiles } from '../../../src/load/collect.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { HttpLimits } from '../../../src/process/http.ts';
import { parseGeneratedTree, readProjectFiles } from '../../../src/reader/index.ts';
import { Definitions } from '../../diff/repository.ts';
import { scratchCopy } from '../../helpers/index.ts';

// The live check of test/fixtures/live (node_exporter's and Prometheus' own metrics, correctly
// declared) after one edit: a realistic mistake, or a correct variant of one.

export type Edit = (
  definitions: Definitions & {
    write(file: string, text: string): Promise<void>;
    rewrite(file: string, change: (text: string) => string): Promise<void>;
  },
) => Promise<void>;

export interface Server {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly limits?: HttpLimits;
  /** Asks through this client instead of one made from the above. */
  readonly client?: PrometheusClient;
}

/** The live check of the fixture after `edit`, as `check --prometheus` runs it. */
export async function liveCheckOf(server: Server, edit?: Edit, options: LiveOptions = {}): Promise<LiveReport> {
  const { root, cleanup } = await scratchCopy('live');
  try {
    const dir = path.join(root, 'definitions');
    const definitions = Object.assign(new Definitions(dir), {
      write: (file: string, text: string) => writeFile(path.join(dir, file), text),
      rewrite: async (file: string, change: (text: string) => string) =>
        writeFile(path.join(dir, file), change(await readFile(path.join(dir, file), 'utf8'))),
    });
    await edit?.(definitions);
    const platform = await loadPlatform(root);
    const tree = parseGeneratedTree(compile(platform), 'the compiled definitions');
    const texts = await readProjectFiles(root, await definitionFiles(root));
    const client =
      server.client ??
      new PrometheusClient({
        url: server.url,
        ...(server.headers && { headers: server.headers }),
        ...(server.limits && { limits: server.limits }),
      });
    return await liveCheck(client, { platform, tree, texts }, options);
  } finally {
    await cleanup();
  }
}
