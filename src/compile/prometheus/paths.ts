export const ruleFilePath = (service: string): string => `prometheus/rules/${service}.rules.yml`;
export const testFilePath = (service: string): string => `prometheus/tests/${service}.test.yml`;
