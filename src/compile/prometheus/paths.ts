export const ruleFilePath = (service: string): string => `prometheus/rules/${service}.rules.yml`;
export const testFilePath = (service: string): string => `prometheus/tests/${service}.test.yml`;

// Baseline alerts look back a week: promtool evaluates every rule of a file at every step up
// to a test's time, so they get files of their own rather than a week of every other rule.
export const baselineRuleFilePath = (service: string): string => `prometheus/rules/${service}.baseline.rules.yml`;
export const baselineTestFilePath = (service: string): string => `prometheus/tests/${service}.baseline.test.yml`;
