/**
 * Typed builders for the small part of Grafana's dashboard JSON model we use (schemaVersion 39,
 * Grafana 10.4+). We write our own rather than depend on @grafana/grafana-foundation-sdk: four
 * dashboards of time series need a few dozen lines, and the output stays reviewable JSON.
 */
export const DATASOURCE = { type: 'prometheus', uid: 'jobbench-prometheus' } as const;
export type DatasourceRef = typeof DATASOURCE;

/** Grafana units we use (https://grafana.com/docs/grafana/latest/panels-visualizations/configure-standard-options/). */
export type Unit = 's' | 'reqps' | 'ops' | 'percentunit' | 'bytes' | 'short' | 'none';

export interface Target {
  refId: string;
  datasource: DatasourceRef;
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
  format?: 'table';
  editorMode: 'code';
}

export interface Panel {
  id: number;
  type: 'timeseries' | 'stat' | 'table';
  title: string;
  description: string;
  datasource: DatasourceRef;
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig: { defaults: Record<string, unknown>; overrides: unknown[] };
  options: Record<string, unknown>;
  targets: Target[];
}

export interface QueryVariable {
  type: 'query';
  name: string;
  label: string;
  datasource: DatasourceRef;
  definition: string;
  query: { qryType: 1; query: string; refId: string };
  refresh: 2; // on time range change: new adapters and test ids appear without a reload
  regex: '';
  sort: 1;
  multi: true;
  includeAll: true;
  allValue: '.*';
  current: { selected: true; text: ['All']; value: ['$__all'] };
  options: [];
  hide: 0;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  timezone: 'browser';
  editable: false;
  graphTooltip: 1; // shared crosshair: the same instant on every panel
  schemaVersion: 39;
  version: 1;
  refresh: string;
  time: { from: string; to: string };
  links: unknown[];
  annotations: { list: [] };
  templating: { list: QueryVariable[] };
  panels: Panel[];
}

/** One PromQL query of a panel; `legend` uses Grafana's {{label}} syntax. */
export interface Query {
  expr: string;
  legend: string;
  instant?: boolean; // a table of the current value rather than a series over time
}

export interface PanelSpec {
  type?: 'timeseries' | 'stat' | 'table';
  title: string;
  description: string;
  unit: Unit;
  queries: Query[];
  width?: number; // of 24 columns; 12 by default (6 for stat)
  height?: number;
}

/** `label_values(metric, label)`, multi-select with an All option matching `.*`. */
export function queryVariable(name: string, label: string, metric: string): QueryVariable {
  const definition = `label_values(${metric}, ${name})`;
  return {
    type: 'query',
    name,
    label,
    datasource: DATASOURCE,
    definition,
    query: { qryType: 1, query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    refresh: 2,
    regex: '',
    sort: 1,
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    hide: 0,
  };
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function targets(queries: Query[]): Target[] {
  return queries.map((q, i) => ({
    refId: REF_IDS[i]!,
    datasource: DATASOURCE,
    expr: q.expr,
    legendFormat: q.legend,
    range: !q.instant,
    instant: q.instant ?? false,
    ...(q.instant ? { format: 'table' as const } : {}),
    editorMode: 'code' as const,
  }));
}

function panelOptions(type: 'timeseries' | 'stat' | 'table'): Panel['options'] {
  if (type === 'stat') {
    return {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'value',
      graphMode: 'area',
      justifyMode: 'auto',
      orientation: 'auto',
      textMode: 'auto',
    };
  }
  if (type === 'table') return { showHeader: true, cellHeight: 'sm' };
  return {
    legend: { showLegend: true, displayMode: 'table', placement: 'bottom', calcs: ['mean', 'max', 'lastNotNull'] },
    tooltip: { mode: 'multi', sort: 'desc' },
  };
}

function fieldDefaults(type: 'timeseries' | 'stat' | 'table', unit: Unit): Record<string, unknown> {
  if (type !== 'timeseries') return { unit };
  return {
    unit,
    min: 0,
    custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: false },
  };
}

/** Lays the panels out left to right, top to bottom, on Grafana's 24-column grid. */
export function layout(specs: PanelSpec[]): Panel[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return specs.map((spec, i) => {
    const type = spec.type ?? 'timeseries';
    const w = spec.width ?? (type === 'stat' ? 6 : 12);
    const h = spec.height ?? (type === 'stat' ? 4 : 8);
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const panel: Panel = {
      id: i + 1,
      type,
      title: spec.title,
      description: spec.description,
      datasource: DATASOURCE,
      gridPos: { x, y, w, h },
      fieldConfig: { defaults: fieldDefaults(type, spec.unit), overrides: [] },
      options: panelOptions(type),
      targets: targets(spec.queries),
    };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return panel;
  });
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  variables: QueryVariable[];
  panels: PanelSpec[];
}

/** A complete dashboard; every jobbench dashboard links to the others through the shared tag. */
export function dashboard(spec: DashboardSpec): Dashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['jobbench'],
    timezone: 'browser',
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '5s',
    time: { from: 'now-15m', to: 'now' },
    links: [
      {
        type: 'dashboards',
        tags: ['jobbench'],
        asDropdown: true,
        title: 'jobbench',
        includeVars: true,
        keepTime: true,
      },
    ],
    annotations: { list: [] },
    templating: { list: spec.variables },
    panels: layout(spec.panels),
  };
}
