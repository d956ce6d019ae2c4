import { DatasourceVariableBuilder, QueryVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Service } from '../../model/service.ts';
import { datasource } from './panels.ts';
import { variableLabels, variableQuery } from './queries.ts';

/** The Prometheus data source every panel reads, chosen by the viewer. */
export const datasourceVariable = (): DatasourceVariableBuilder =>
  new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');

/**
 * `job` / `instance`: multi-select, "All" matches any value (`.+`), reloaded with the time
 * range so targets that came and went are listed.
 */
export function labelVariables(service: Service): QueryVariableBuilder[] {
  return variableLabels(service).map((label) => {
    const query = variableQuery(service, label);
    return new QueryVariableBuilder(label)
      .label(label)
      .datasource(datasource)
      .query(query)
      .definition(query)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue('.+')
      .current({ selected: true, text: 'All', value: '$__all' });
  });
}
