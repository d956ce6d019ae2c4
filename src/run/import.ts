import { defaultOut, runImport } from '../import/index.ts';
import { formatReport, importSucceeded } from '../import/report.ts';
import { defineCommand, UsageError } from './command.ts';

export const importCommand = defineCommand({
  name: 'import',
  summary:
    'turn existing rule files, PrometheusRules, Mimir namespaces, Alertmanager configuration, SLO specs and Grafana dashboards into definitions, with proof',
  synopsis: '[--out DIR] [--team NAME] FILE…',
  details:
    'Each input is recognised by its content. Anything that cannot be represented is refused, one line each, and then nothing is written. After writing, the project is compiled in memory and compared with the originals: rules, routing, SLOs, dashboards (as Grafana reads them) and the tests each alert got; exit 1 on any difference.',
  options: {
    out: { type: 'string', default: defaultOut, value: 'DIR', description: 'where the definitions go, under definitions/' },
    team: {
      type: 'string',
      value: 'NAME',
      description: 'the team that owns what names no team of its own (and the folder of dashboards whose source names none)',
    },
  },
  positionals: 'FILE…',
  async run({ values, positionals }, { root, out, err }) {
    if (positionals.length === 0) throw new UsageError('import needs at least one FILE');
    const report = await runImport({ root, files: positionals, out: values.out ?? defaultOut, ...(values.team && { team: values.team }) });
    const ok = importSucceeded(report);
    (ok ? out : err)(formatReport(report));
    return ok ? 0 : 1;
  },
});
