import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { importSlos } from '../src/import/slo/index.ts';
const [out, ...inputs] = process.argv.slice(2);
const files = inputs.map((p) => ({ path: path.relative(process.cwd(), p), text: readFileSync(p, 'utf8') }));
const result = importSlos(files, { team: 'shop' });
if (result.refusals.length) {
  console.log(result.refusals.join('\n'));
  process.exit(1);
}
mkdirSync(out!, { recursive: true });
for (const [p, text] of result.files) writeFileSync(path.join(out!, p), text);
console.log(result.notes.join('\n'));
