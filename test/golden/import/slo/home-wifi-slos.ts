// Imported by `monforge import` from specs/sloth/home-wifi.yml (Sloth prometheus/v1).
// Yours now: edit it like any other definition.

import { defineService, gaugeSlo, select } from 'monforge';
import { unifipollerClientSatisfactionRatio } from './metrics.ts';

export const homeWifi = defineService({
  name: 'home-wifi',
  team: 'shop',
  tier: 'medium',
  selector: {},
  scrape: false,
  optOut: { absent: 'its SLIs select no job: there are no targets to watch' },
  slos: [
    // page alert label severity="home" not carried: monforge sets severity itself (critical on the page tier, warning on the ticket tier)
    gaugeSlo({
      name: 'good-wifi-client-satisfaction',
      description: 'Will warn us that we don\'t have a good wifi at home.',
      objective: 95,
      gauge: select(unifipollerClientSatisfactionRatio),
      good: { atLeast: 0.75 },
      labels: { cluster: 'valhalla', component: 'ubiquiti', context: 'home' },
      alertName: 'GoodWifiClientSatisfaction',
    }),
    // page alert label severity="home" not carried: monforge sets severity itself (critical on the page tier, warning on the ticket tier)
    gaugeSlo({
      name: 'risk-wifi-client-satisfaction',
      description: 'Will warn us that we something very bad is happenning with our home wifi.',
      objective: 99.9,
      gauge: select(unifipollerClientSatisfactionRatio),
      good: { atLeast: 0.5 },
      labels: { cluster: 'valhalla', component: 'ubiquiti', context: 'home' },
      alertName: 'RiskWifiClientSatisfaction',
    }),
  ],
});
