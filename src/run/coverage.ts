import { analyzeCoverage } from '../coverage/analyze.ts';
import { coverageFormats, formatCoverage, type CoverageFormat } from '../coverage/format.ts';
import { loadPlatform } from '../load/load.ts';
import { defineCommand, UsageError } from './command.ts';

/** `coverage`: the report, and how many signals are missing (for `--fail-on missing`). */
export async function coverage(root: string, format: CoverageFormat): Promise<{ output: string; missing: number }> {
  const report = analyzeCoverage(await loadPlatform(root));
  return { output: formatCoverage(report, format), missing: report.totals.missing };
}

export const coverageCommand = defineCommand({
  name: 'coverage',
  summary: 'every service × signal: covered, opted out (with the reason) or missing',
  synopsis: '[--format markdown|json] [--fail-on missing]',
  details:
    'Signals: availability and latency SLOs, error ratio, latency, liveness, absent detection, saturation (memory, CPU, disk), playbook and dashboard.',
  options: {
    format: { type: 'string', default: 'markdown', value: 'markdown|json', description: "the report's format" },
    'fail-on': { type: 'string', value: 'missing', description: 'exit 1 when a signal is missing (for CI)' },
  },
  async run({ values }, { root, out }) {
    const format = values.format ?? 'markdown';
    if (!(coverageFormats as readonly string[]).includes(format))
      throw new UsageError(`--format must be one of ${coverageFormats.join(', ')}`);
    if (values['fail-on'] !== undefined && values['fail-on'] !== 'missing') throw new UsageError('--fail-on takes only "missing"');
    const report = await coverage(root, format as CoverageFormat);
    out(report.output);
    return values['fail-on'] === 'missing' && report.missing > 0 ? 1 : 0;
  },
});
