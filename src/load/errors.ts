import type { Said } from '../findings/kind.ts';

/** One problem in the definitions, located by file and by a path of named objects. */
export interface DefinitionError {
  readonly file: string;
  /** E.g. `service "api"`, `slo "latency"`, `threshold`. */
  readonly path: readonly string[];
  /** The finding's id (docs/reference/findings.md#<id>). */
  readonly id: string;
  readonly message: string;
}

/** A finding, as its kind said it, at a place in the definitions. */
export const definitionError = (file: string, path: readonly string[], said: Said): DefinitionError => ({
  file,
  path,
  id: said.id,
  message: said.text,
});

export function formatError(error: DefinitionError): string {
  const where = error.path.length > 0 ? `${error.path.join(' › ')}: ` : '';
  return `${error.file}: ${where}${error.message} [${error.id}]`;
}

/** Thrown by `loadPlatform` with every error found, so a user fixes them all in one round. */
export class DefinitionErrors extends Error {
  constructor(readonly errors: readonly DefinitionError[]) {
    super(errors.map(formatError).join('\n'));
    this.name = 'DefinitionErrors';
  }
}
