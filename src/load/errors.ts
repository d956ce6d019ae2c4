/** One problem in the definitions, located by file and by a path of named objects. */
export interface DefinitionError {
  readonly file: string;
  /** E.g. `service "api"`, `slo "latency"`, `threshold`. */
  readonly path: readonly string[];
  readonly message: string;
}

export function formatError(error: DefinitionError): string {
  const where = error.path.length > 0 ? `${error.path.join(' › ')}: ` : '';
  return `${error.file}: ${where}${error.message}`;
}

/** Thrown by `loadPlatform` with every error found, so a user fixes them all in one round. */
export class DefinitionErrors extends Error {
  constructor(readonly errors: readonly DefinitionError[]) {
    super(errors.map(formatError).join('\n'));
    this.name = 'DefinitionErrors';
  }
}
