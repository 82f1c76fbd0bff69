/**
 * The column analysis (`GET /v1/external/data-sets/column-info`): per column its type, counts,
 * statistics (numbers: min / mean / median / max; dates: first and last), frequent values, and once
 * a target is chosen its two relevance measures, each explained under the table; the columns the
 * model will not use, with the reason; the first rows of the file.
 */
import type { ComponentChildren, JSX } from 'preact';
import { Table } from '../components/common.js';
import { parseCsv } from '../lib/csv.js';
import { epochDate, fmt } from '../lib/format.js';
import { unusedReason } from '../lib/guess.js';
import { t } from '../lib/i18n.js';
import type { ColumnInfo, ColumnInfoColumn } from '../lib/types.js';
import { dtypeLabel } from './labels.js';

function stats(c: ColumnInfoColumn): string {
  const s = c.numerical_value[0];
  if (s !== undefined) return [s.min_value, s.avg_value, s.median_value, s.max_value].map(fmt).join(' / ');
  const d = c.range_pick_info?.date;
  if (d != null) return `${epochDate(d.min_epoc_sec)} – ${epochDate(d.max_epoc_sec)}`;
  return '';
}

function values(c: ColumnInfoColumn): string {
  return c.classify_value
    .slice(0, 4)
    .map((v) => `${v.name} (${v.value})`)
    .join(', ');
}

/** A score in [0, 1] as a number and a bar. */
function Score({ value, kind }: { value: number | null | undefined; kind: string }): JSX.Element {
  if (value === null || value === undefined) return <span class="muted">—</span>;
  return (
    <span class="score" data-score={kind} data-value={String(value)}>
      <span class="bar" aria-hidden="true">
        {/* CSSOM style (not a style attribute), which the CSP allows. */}
        <span class="fill" style={{ width: `${Math.round(Math.min(1, Math.max(0, value)) * 100)}%` }} />
      </span>
      {fmt(value)}
    </span>
  );
}

export function unusedColumns(info: ColumnInfo, target: string): { name: string; reason: string }[] {
  const useless = new Set(info.useless_column_list);
  return info.training_data_columns.flatMap((c) => {
    if (c.name === target) return [];
    const r = unusedReason(c, useless);
    return r === null ? [] : [{ name: c.name, reason: r }];
  });
}

export function ColumnsTable({ info, target }: { info: ColumnInfo; target: string }): JSX.Element {
  const useless = new Set(info.useless_column_list);
  const hasTarget = target !== '';
  const strongest = hasTarget
    ? info.training_data_columns.reduce<ColumnInfoColumn | null>(
        (best, c) => (c.name !== target && (c.predictive_power ?? -1) > (best?.predictive_power ?? -1) ? c : best),
        null,
      )
    : null;
  const head: ComponentChildren[] = [t('col.name'), t('col.type'), t('col.unique'), t('col.missing'), t('col.stats'), t('col.values')];
  if (hasTarget) head.push(<span title={t('col.corHelp')}>{t('col.cor')}</span>, <span title={t('col.powerHelp')}>{t('col.power')}</span>);
  const rows = info.training_data_columns.map((c) => {
    const reason = c.name === target ? null : unusedReason(c, useless);
    const cells = [
      <span class="colname">
        {c.name}
        {c.name === target ? <span class="tag target">{t('col.isTarget')}</span> : null}
        {reason !== null ? (
          <span class="tag warn" data-unused={reason}>
            {t(`unused.${reason}`)}
          </span>
        ) : null}
        {strongest !== null && c === strongest && (c.predictive_power ?? 0) > 0 ? <span class="tag good">{t('col.strongest')}</span> : null}
      </span>,
      dtypeLabel(c.initial_data_type),
      c.unique_count,
      c.missing_count,
      stats(c),
      values(c),
    ];
    if (hasTarget) {
      cells.push(
        c.name === target ? '' : <Score value={c.cor_score} kind="cor" />,
        c.name === target ? (
          ''
        ) : (
          <span>
            <Score value={c.predictive_power} kind="power" />
            {c.predictive_power_basis != null ? <span class="muted small"> {t(`basis.${c.predictive_power_basis}`)}</span> : null}
          </span>
        ),
      );
    }
    return cells;
  });
  return (
    <div id="columns" data-state="loaded" data-target={target}>
      <Table
        id="columns-table"
        head={head}
        rows={rows}
        rowAttrs={(i) => {
          const c = info.training_data_columns[i]!;
          return { 'data-column': c.name, class: c.name !== target && unusedReason(c, useless) !== null ? 'useless' : '' };
        }}
      />
      {hasTarget ? (
        <dl class="legend" id="relevance-legend">
          <dt>{t('col.cor')}</dt>
          <dd>{t('col.corHelp')}</dd>
          <dt>{t('col.power')}</dt>
          <dd>{t('col.powerHelp')}</dd>
        </dl>
      ) : (
        <p class="hint">{t('col.chooseTarget')}</p>
      )}
    </div>
  );
}

export function SampleRows({ info }: { info: ColumnInfo }): JSX.Element {
  const rows = info.raw_training_data.map((r) => parseCsv(r.row_data)[0] ?? []);
  return <Table id="sample-table" head={[...info.raw_column_names]} rows={rows} />;
}
