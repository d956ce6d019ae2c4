export const alertmanagerPath = 'alertmanager/alertmanager.yml';
export const routeTestsPath = 'alertmanager/routes.test.json';

export { platformReceivers, teamReceiver } from '../../model/receiver-names.ts';

/** The label Prometheus never sets and `monforge test-alert` does: test alerts run no playbook. */
export const testLabel = 'test';
