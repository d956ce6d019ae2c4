// Imported by `monforge import` from specs/openslo/occurrences-slo.yaml (OpenSLO v1).
// Yours now: edit it like any other definition.

import { defineService, gaugeSlo, select } from 'monforge';
import { any } from './metrics.ts';

export const webShop = defineService({
  name: 'web-shop',
  team: 'shop',
  tier: 'medium',
  selector: {},
  scrape: false,
  optOut: { absent: 'its SLIs select no job: there are no targets to watch' },
  slos: [
    // thresholdMetric.metricSource type Any read as Prometheus
    gaugeSlo({
      name: 'search-slo',
      description: 'Regardless of the number of paraller searches it never should be more than 500ms.',
      objective: 99,
      window: '2w',
      gauge: select(any),
      good: { below: 500 },
    }),
  ],
});
