import { findingKind } from '../kind.ts';

// Dashboards of `defineDashboard`: built when the definitions load, checked for what Grafana
// would refuse or mix up.

export const buildFailed = findingKind(
  {
    id: 'dashboards/build-failed',
    title: 'A dashboard builder that throws',
    cause: "The `build` of a `defineDashboard` threw when it ran (the SDK's builders check some values, such as a panel width over 24).",
    fix: 'Fix what the message names; run the definition file on its own (`npx tsx definitions/x.ts`) to see the stack.',
  },
  (reason: string) => `the builder threw: ${reason}`,
);

export const invalidUid = findingKind(
  {
    id: 'dashboards/invalid-uid',
    title: 'A dashboard without a uid Grafana takes',
    cause: "Grafana identifies a dashboard by its uid: 1–40 letters, digits, `-` or `_`. The SDK's DashboardBuilder sets none unless told.",
    fix: "Call `.uid('…')` on the DashboardBuilder; keep it once dashboards are deployed, links and bookmarks use it.",
  },
  (uid: unknown) =>
    `${uid === undefined ? 'missing' : JSON.stringify(uid)}: set .uid(…) on the DashboardBuilder, 1–40 letters, digits, "-" or "_"`,
);

export const untitled = findingKind(
  {
    id: 'dashboards/untitled',
    title: 'A dashboard without a title',
    cause: 'Grafana requires a title; the SDK takes it as the first argument of `new DashboardBuilder(title)`.',
    fix: 'Give the DashboardBuilder a title.',
  },
  () => 'must not be empty',
);

export const uidTaken = findingKind(
  {
    id: 'dashboards/uid-taken',
    title: 'Two dashboards with one uid',
    cause:
      "Grafana keeps one dashboard per uid: the second would overwrite the first. monforge's own dashboards take `svc-<service>`, `monforge-overview` and `monforge-slos`.",
    fix: 'Give one of them another uid.',
  },
  (other: string) => `is also the uid of ${other}`,
);

export const overwritesServiceDashboard = findingKind(
  {
    id: 'dashboards/overwrites-service-dashboard',
    title: "A dashboard written over a service's",
    cause:
      "A service's dashboard is `<team>/<service>.json`; a `defineDashboard` in the team's folder with the service's name as uid is the same file.",
    fix: 'Give the dashboard another uid, or another folder.',
  },
  (folder: string, uid: string, service: string) =>
    `in folder "${folder}" it would overwrite the dashboard of service "${service}" (${folder}/${uid}.json)`,
);
