/** Step 3: the column analysis (`GET /v1/external/data-sets/column-info`) and the first rows. */
import { call, clearError, showError } from '../api.js';
import { parseCsv } from '../csv.js';
import { byId, h, show, table, type Child } from '../dom.js';
import { label } from '../i18n.js';
import { apiKey } from '../session.js';
import type { ColumnInfo, ColumnInfoColumn } from '../types.js';

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4).replace(/\.?0+$/, '');
}

function stats(c: ColumnInfoColumn): Child {
  const s = c.numerical_value[0];
  return s === undefined ? '' : [s.min_value, s.avg_value, s.median_value, s.max_value].map(num).join(' / ');
}

function values(c: ColumnInfoColumn): Child {
  return c.classify_value
    .slice(0, 5)
    .map((v) => `${v.name} (${v.value})`)
    .join(', ');
}

function row(c: ColumnInfoColumn, useless: boolean): Child[] {
  return [
    h('span', {}, c.name, useless ? h('span', { class: 'tag warn' }, label('col.useless')) : null),
    label(`dtype.${c.initial_data_type}`),
    c.unique_count,
    c.data_count,
    c.missing_count,
    stats(c),
    values(c),
    c.cor_score === null ? '' : num(c.cor_score),
  ];
}

export async function loadColumns(processId: string, target: string | null): Promise<ColumnInfo | null> {
  const box = byId('columns');
  const error = byId('columns-error');
  clearError(error);
  try {
    const q = `external_process_id=${encodeURIComponent(processId)}${target === null ? '' : `&target=${encodeURIComponent(target)}`}`;
    const info = await call<ColumnInfo>('GET', `v1/external/data-sets/column-info?${q}`, await apiKey('train'));
    const useless = new Set(info.useless_column_list);
    show(byId('columns-summary'), label('columns.process'), `: ${processId} · `, label('columns.rows'), `: ${info.trainingdata_row_count}`);
    const heads = ['col.name', 'col.type', 'col.unique', 'col.count', 'col.missing', 'col.stats', 'col.values', 'col.relevance'].map(label);
    show(box, table(heads, info.training_data_columns.map((c) => row(c, useless.has(c.name))), { id: 'columns-table' }));
    for (const [i, c] of info.training_data_columns.entries()) {
      if (useless.has(c.name)) box.querySelectorAll('tbody tr')[i]?.classList.add('useless');
    }
    const sample = info.raw_training_data.map((r) => parseCsv(r.row_data)[0] ?? []);
    show(byId('sample'), table([...info.raw_column_names], sample, { id: 'sample-table' }));
    box.dataset.state = 'loaded';
    return info;
  } catch (err) {
    showError(error, err);
    return null;
  }
}
