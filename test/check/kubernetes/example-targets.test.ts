import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedRuleFindings } from '../../../src/check/embedded-rules.ts';
import { kubernetesFindings } from '../../../src/check/kubernetes/index.ts';
import { readGeneratedDir } from '../../../src/reader/index.ts';
import { repoRoot } from '../../helpers/index.ts';

// The example platform enables every target: its committed objects must pass what `monforge check` runs.
describe('the example platform’s targets', () => {
  it('pass the upstream CRD schemas and promtool on their embedded rule groups', async () => {
    const tree = await readGeneratedDir(path.join(repoRoot, 'generated'));
    expect(new Set((tree.kubernetes ?? []).flatMap((file) => file.objects.map((object) => object.kind)))).toEqual(
      new Set(['PrometheusRule', 'ServiceMonitor', 'Secret', 'ConfigMap', 'GrafanaFolder', 'GrafanaDashboard']),
    );
    expect(tree.mimir?.namespace).toBe('monforge');
    expect(await kubernetesFindings(tree)).toEqual([]);
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-example-'));
    try {
      expect(await embeddedRuleFindings(tree, scratch)).toEqual([]);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
