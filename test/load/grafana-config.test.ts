import { describe, expect, it } from 'vitest';
import { buildPlatform } from '../../src/load/load.ts';
import { formatError, type DefinitionError } from '../../src/load/errors.ts';
import { defineConfig, type PlatformConfig } from '../../src/index.ts';

function errors(config: PlatformConfig): string[] {
  const found: DefinitionError[] = [];
  buildPlatform([{ source: 'definitions/platform.ts', exportName: 'config', value: config }], (error) => found.push(error));
  return found.map(formatError).filter((line) => line.includes('grafana'));
}

describe('Grafana settings of defineConfig', () => {
  it('accept an http(s) base URL and an absolute dashboards path', () => {
    expect(
      errors(
        defineConfig({
          runbookBaseUrl: 'https://runbooks.example.com/',
          grafanaBaseUrl: 'https://grafana.example.com/grafana',
          grafanaDashboardsPath: '/var/lib/grafana/dashboards',
        }),
      ),
    ).toEqual([]);
  });

  it('reject a base URL without a scheme and a relative path', () => {
    const config = {
      kind: 'config',
      runbookBaseUrl: 'https://runbooks.example.com/',
      grafanaBaseUrl: 'grafana.example.com',
      grafanaDashboardsPath: 'dashboards',
    } as unknown as PlatformConfig;
    expect(errors(config)).toEqual([
      'definitions/platform.ts: config › grafanaBaseUrl: "grafana.example.com" is not a valid url [schema/invalid-value]',
      'definitions/platform.ts: config › grafanaDashboardsPath: must be an absolute path on the Grafana host, like "/var/lib/grafana/dashboards" [schema/invalid-value]',
    ]);
  });
});
