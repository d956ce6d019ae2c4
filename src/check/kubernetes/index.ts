import type { GeneratedTree } from '../../reader/types.ts';
import { loadCrdSchemas } from './crds.ts';
import { KubernetesValidator } from './validator.ts';
import { kubernetesSchema } from '../../findings/catalog/validators.ts';
import { findingLine } from '../../findings/kind.ts';

let shared: Promise<KubernetesValidator> | undefined;

/** One validator per process: compiling the CRD schemas takes most of a second. */
export function kubernetesValidator(): Promise<KubernetesValidator> {
  shared ??= loadCrdSchemas().then((crds) => new KubernetesValidator(crds));
  return shared;
}

/** Every generated Kubernetes object against its upstream schema: `file: Kind name: field: problem`. */
export async function kubernetesFindings(tree: Pick<GeneratedTree, 'kubernetes'>): Promise<string[]> {
  const files = tree.kubernetes ?? [];
  if (files.length === 0) return [];
  const validator = await kubernetesValidator();
  return files.flatMap((file) =>
    file.objects.flatMap((object) =>
      validator.validate(object).map((problem) => findingLine(kubernetesSchema(file.path, `${object.kind} ${object.name}`, problem))),
    ),
  );
}
