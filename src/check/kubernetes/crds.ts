import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

// The vendored upstream CRDs (vendor/crds/, see its README for commits and licenses): one
// OpenAPI v3 schema per served version of each kind.

export const crdDir = fileURLToPath(new URL('../../../vendor/crds/', import.meta.url));

export interface CrdSchema {
  /** `monitoring.coreos.com/v1` */
  readonly apiVersion: string;
  readonly kind: string;
  readonly schema: Record<string, unknown>;
  /** The CRD file, for messages. */
  readonly file: string;
}

interface Crd {
  kind?: string;
  spec?: {
    group?: string;
    names?: { kind?: string };
    versions?: { name?: string; served?: boolean; schema?: { openAPIV3Schema?: Record<string, unknown> } }[];
  };
}

export async function loadCrdSchemas(dir = crdDir): Promise<CrdSchema[]> {
  const schemas: CrdSchema[] = [];
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.yaml')).sort()) {
    for (const document of parseAllDocuments(await readFile(`${dir}/${file}`, 'utf8'))) {
      const crd = document.toJS() as Crd | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const { group, names, versions = [] } = crd.spec ?? {};
      for (const version of versions) {
        const schema = version.schema?.openAPIV3Schema;
        if (!group || !names?.kind || !version.name || !schema || version.served === false)
          throw new Error(`${file}: a CRD version without group, kind, name or openAPIV3Schema`);
        schemas.push({ apiVersion: `${group}/${version.name}`, kind: names.kind, schema, file });
      }
    }
  }
  return schemas;
}
