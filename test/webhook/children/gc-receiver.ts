// `node --expose-gc --import tsx gc-receiver.ts OPTIONS_JSON`: the receiver with a forced garbage
// collection every 10 ms, so that a deadline held only weakly is collected before it fires.
import { startWebhook } from '../../../src/webhook/main.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
setInterval(gc, 10);
await startWebhook(JSON.parse(process.argv[2]!));
