export const ruleFilePath = (service: string): string => `prometheus/rules/${service}.rules.yml`;
export const testFilePath = (service: string): string => `prometheus/tests/${service}.test.yml`;
/** The SLO wiring tests: a file of their own, since promtool evaluates them every 5m, not every minute. */
export const wiringTestFilePath = (service: string): string => `prometheus/tests/${service}.slo.test.yml`;
