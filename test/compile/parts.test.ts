import { beforeAll, describe, expect, it } from 'vitest';
import { compile, compileParts, compileService, reusingCompiler, type CompiledService } from '../../src/compile/index.ts';
import { emittedAlertLabels } from '../../src/compile/prometheus/alert-labels.ts';
import { loadPlatform } from '../../src/load/load.ts';
import type { Platform } from '../../src/model/platform.ts';
import { mergeFileSets } from '../../src/output/fileset.ts';
import { repoRoot } from '../helpers/index.ts';

// generate writes the compiled files a part at a time, and generate --watch keeps the part of a
// service whose objects did not change: both rely on a service's files reading nothing but the
// config and that service. The example platform enables every target.

let platform: Platform;

beforeAll(async () => {
  platform = await loadPlatform(repoRoot);
});

describe('compiling in parts', () => {
  it("gives the files of compile: each service, the health score's, then the rest of the platform, no path twice", () => {
    const parts = [...compileParts(platform)];
    expect(parts).toHaveLength(platform.services.length + 2);
    expect(mergeFileSets(...parts)).toEqual(compile(platform));
    expect(parts.slice(0, -2)).toEqual(platform.services.map((service) => compileService(platform.config, service).files));
    expect([...parts.at(-2)!.keys()]).toEqual(['prometheus/rules/platform-health.rules.yml', 'prometheus/tests/platform-health.test.yml']);
  });

  it('compiles a service to the same files whatever the other services are', () => {
    const [api, ...others] = platform.services;
    const { files: alone, alertLabels } = compileService(platform.config, api!);
    // Its rules and tests (its baseline alerts' too), its dashboard, its scrape job.
    expect([...alone.keys()].sort()).toEqual([
      `grafana/dashboards/${api!.team}/api.json`,
      'prometheus/rules/api.baseline.rules.yml',
      'prometheus/rules/api.rules.yml',
      'prometheus/scrape/api.yml',
      'prometheus/tests/api.baseline.test.yml',
      'prometheus/tests/api.test.yml',
    ]);
    const without = compile({ ...platform, services: [api!], playbooks: [] });
    for (const [path, content] of alone) expect(without.get(path)).toBe(content);
    expect(others.length).toBeGreaterThan(0);
    // Its alerts' labels, as the Alertmanager compiler's route tests read them.
    expect(alertLabels).toEqual(emittedAlertLabels({ ...platform, services: [api!], playbooks: [] }));
    expect(alertLabels.map((labels) => labels.alertname)).toContain('ApiDown');
  });

  it('takes from before the files of a service compiled from the very same config and service objects', () => {
    const earlier = new Map<string, CompiledService>();
    const first = reusingCompiler(new Map(), earlier);
    const [api] = platform.services;
    const output = first(platform.config, api!);
    const now = new Map<string, CompiledService>();
    const again = reusingCompiler(earlier, now);
    expect(again(platform.config, api!)).toBe(output);
    expect(now.get('api')!.output).toBe(output);
    // An equal but new config or service is compiled again: identity, not equality, says nothing changed.
    expect(again({ ...platform.config }, api!)).not.toBe(output);
    expect(again(platform.config, { ...api! })).not.toBe(output);
    expect(again(platform.config, { ...api! })).toEqual(output);
  });
});
