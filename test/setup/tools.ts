import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Provisions promtool/amtool/prometheus/alertmanager once for the whole run (PATH, Debian
 * packages, or docker) and puts them on PATH for every test worker. No test skips for lack of them.
 */
export default function setup(): void {
  const script = path.resolve(import.meta.dirname, '../../scripts/ensure-tools.sh');
  const dir = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ''}`;
}
