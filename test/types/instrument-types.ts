// Compile-time guarantees of the typed instrumentation (type-checked by `npm test`).
import { counter, gauge } from '../../src/index.ts';
import { instrument } from '../../src/instrument/index.ts';

const httpRequests = counter({ name: 'http_requests_total', help: 'HTTP requests.', labels: ['route', 'method', 'code'] });
const queueDepth = gauge({ name: 'queue_depth', help: 'Queued jobs.' });
const metrics = instrument({ httpRequests, queueDepth });

metrics.httpRequests.inc({ route: '/', method: 'GET', code: 200 });
metrics.queueDepth.set(3);
// @ts-expect-error "status" is not a label of http_requests_total
metrics.httpRequests.inc({ route: '/', method: 'GET', status: 200 });
// @ts-expect-error every label must be given ("code" is missing)
metrics.httpRequests.inc({ route: '/', method: 'GET' });
// @ts-expect-error a metric without labels takes no label object
metrics.queueDepth.set({ queue: 'a' }, 1);
// @ts-expect-error a counter cannot be set
metrics.httpRequests.set({ route: '/', method: 'GET', code: 200 }, 1);
// @ts-expect-error not a defined metric
metrics.httpRequestsTotal.inc();
