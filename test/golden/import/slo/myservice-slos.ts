// Imported by `monforge import` from specs/sloth/getting-started.yml (Sloth prometheus/v1).
// Yours now: edit it like any other definition.

import { defineService, ratioSlo, re, select } from 'monforge';
import { httpRequestDurationSecondsCount } from './metrics.ts';

export const myservice = defineService({
  name: 'myservice',
  team: 'shop',
  tier: 'medium',
  selector: { job: 'myservice' },
  scrape: false,
  slos: [
    // SLO label tier="2" not carried: monforge sets tier itself (page or ticket)
    // page alert label severity="pageteam" not carried: monforge sets severity itself (critical on the page tier, warning on the ticket tier)
    // ticket alert label severity="slack" not carried: monforge sets severity itself (critical on the page tier, warning on the ticket tier)
    ratioSlo({
      name: 'requests-availability',
      description: 'Common SLO based on availability for HTTP request responses.',
      objective: 99.9,
      errors: select(httpRequestDurationSecondsCount, { code: re('(5..|429)') }),
      total: select(httpRequestDurationSecondsCount),
      labels: { owner: 'myteam', repo: 'myorg/myservice' },
      alertName: 'MyServiceHighErrorRate',
      annotations: { summary: 'High error rate on \'myservice\' requests responses' },
      tiers: {
        page: { labels: { category: 'availability', routing_key: 'myteam' } },
        ticket: { labels: { category: 'availability', slack_channel: '#alerts-myteam' } },
      },
    }),
  ],
});
