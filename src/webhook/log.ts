/** Structured logs: one JSON object per line, so log shippers need no parsing rules. */
export type Logger = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  return (level, msg, fields) => write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}
